import Foundation

/// Where JSON text stops being valid, as Foundation's parser finds it: the byte offset (its
/// "around character N", or the end of the data for text that ends inside a value) and what
/// is wrong; nil when `data` is valid JSON. Readers of JSON files (tokenizer.json, a model's
/// config.json) use it so that an error names a place in the file. Foundation refuses
/// nesting deeper than 512 arrays or objects here, before it could exhaust the stack.
public func jsonSyntaxError(in data: Data) -> (offset: Int, problem: String)? {
  do {
    _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
    return nil
  } catch {
    let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
    let problem = text.hasSuffix(".") ? String(text.dropLast()) : text
    if let match = problem.firstMatch(of: #/ around character (\d+)/#), let offset = Int(match.1) {
      return (offset, String(problem[..<match.range.lowerBound]).lowercased())
    }
    return (
      data.count, problem.contains("end of file") ? "the text ends inside a value" : problem.lowercased()
    )
  }
}
