/// Stops the program with `message` when `condition` is false, in every build
/// configuration (unlike `precondition`, whose message an optimised build drops).
/// Operations use it for programmer errors such as mismatched shapes, so the message
/// always names the operation and the shapes involved.
@inline(__always)
public func require(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
  file: StaticString = #fileID, line: UInt = #line
) {
  if !condition() { fatalError(message(), file: file, line: line) }
}
