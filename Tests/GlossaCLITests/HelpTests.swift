import ArgumentParser
import Foundation
import Testing

@testable import glossa

/// Every subcommand's help, as `glossa help …` prints it at 80 columns.
@Suite struct HelpTests {
  /// A command, the words that reach it (`["embed", "train"]`) and its help.
  struct Command {
    let path: [String]
    let type: any ParsableCommand.Type
    var help: String { Glossa.helpMessage(for: type, columns: 80) }
    var isLeaf: Bool { type.configuration.subcommands.isEmpty }
  }

  /// The root and every subcommand below it.
  static func commands() -> [Command] {
    var found: [Command] = []
    func visit(_ type: any ParsableCommand.Type, _ path: [String]) {
      found.append(Command(path: path, type: type))
      for child in type.configuration.subcommands {
        visit(child, path + [child._commandName])
      }
    }
    visit(Glossa.self, [])
    return found
  }

  @Test func everyCommandHasAnAbstractAndEveryLeafADiscussionWithExamples() {
    let commands = Self.commands()
    #expect(commands.count > 25)
    for command in commands {
      let name = (["glossa"] + command.path).joined(separator: " ")
      #expect(!command.type.configuration.abstract.isEmpty, "\(name) has no abstract")
      guard command.isLeaf || command.path.isEmpty else { continue }
      let lines = command.help.components(separatedBy: "\n")
      guard let start = lines.firstIndex(of: "Examples:") else {
        Issue.record("\(name): no Examples: in its help")
        continue
      }
      // The examples run up to the usage line; each starts with the command (or, after a
      // line ending with a backslash, continues it, indented further).
      let examples = lines[(start + 1)...].prefix { !$0.hasPrefix("USAGE:") }.filter { !$0.isEmpty }
      #expect(!examples.isEmpty, "\(name): no examples")
      // A default subcommand runs by its parent's name too (glossa vectorize = … matrix).
      var names = [name]
      if let parent = commands.first(where: { $0.path == command.path.dropLast() }),
        parent.type.configuration.defaultSubcommand == command.type
      {
        names.append((["glossa"] + parent.path).joined(separator: " "))
      }
      var continued = false
      for line in examples {
        let startsCommand = names.contains { line == "  \($0)" || line.hasPrefix("  \($0) ") }
        #expect(
          startsCommand || (continued && line.hasPrefix("    ")),
          "\(name): the example line '\(line)' is not the command (or it was wrapped: keep examples under 80 columns)"
        )
        continued = line.hasSuffix("\\")
      }
    }
  }

  /// Prose wraps where the terminal wraps it: a short line followed, at the same indentation,
  /// by a line continuing the sentence is a hard line break inside a paragraph.
  @Test func paragraphsWrapOnlyAtTheTerminalsWidth() {
    for command in Self.commands() {
      let name = (["glossa"] + command.path).joined(separator: " ")
      let lines = command.help.components(separatedBy: "\n")
      for (line, next) in zip(lines, lines.dropFirst()) {
        if !line.hasPrefix("USAGE:") {
          #expect(line.count <= 80, "\(name): a line of \(line.count) columns: '\(line)'")
        }
        let text = line.drop { $0 == " " }
        let following = next.drop { $0 == " " }
        guard !text.isEmpty, !following.isEmpty, line.count < 60,
          line.count - text.count == next.count - following.count,
          let first = following.first, first.isLowercase,
          !following.hasPrefix("glossa "), let last = text.last, !".:;!?)".contains(last)
        else { continue }
        Issue.record("\(name): a line ends mid-sentence: '\(line)' / '\(next)'")
      }
    }
  }

  /// Each value an option's help lists is one the option accepts: parsing it gives no
  /// "invalid value" error (the command's other arguments may still be missing).
  @Test func everyListedValueIsAccepted() throws {
    var checked = 0
    for command in Self.commands() where command.isLeaf {
      for (option, values) in Self.listedValues(command.help) {
        for value in values {
          checked += 1
          do {
            _ = try Glossa.parseAsRoot(command.path + ["--\(option)", value])
          } catch {
            let message = Glossa.message(for: error)
            #expect(
              !message.contains("'\(value)' is invalid"),
              "glossa \(command.path.joined(separator: " ")) --\(option) \(value): \(message)")
          }
        }
      }
    }
    #expect(checked > 40)
  }

  /// The options of a help text that list their values, each option's entry joined from its
  /// wrapped lines first: `--method <method>  How to split … (values: a, b, c; default: a)`.
  static func listedValues(_ help: String) -> [(option: String, values: [String])] {
    var entries: [String] = []
    var inOptions = false
    for line in help.components(separatedBy: "\n") {
      if line.hasSuffix(":") && !line.hasPrefix(" ") { inOptions = line == "OPTIONS:" }
      guard inOptions, !line.isEmpty, line != "OPTIONS:" else { continue }
      if line.hasPrefix("  -") {
        entries.append(line)
      } else if !entries.isEmpty {
        entries[entries.count - 1] += " " + line.drop { $0 == " " }
      }
    }
    return entries.compactMap { entry in
      guard let name = entry.firstMatch(of: /--([a-z0-9-]+)/)?.1,
        let list = entry.firstMatch(of: /\(values: ([^;)]+)/)?.1
      else { return nil }
      return (String(name), list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
    }
  }
}
