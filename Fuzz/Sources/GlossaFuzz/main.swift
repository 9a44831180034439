import CLibFuzzer
import Foundation

// The fuzzing program: the target named by GLOSSA_FUZZ_TARGET, run by libFuzzer's driver on
// every input (libFuzzer's flags and corpus folders are the arguments).

let targetName = ProcessInfo.processInfo.environment["GLOSSA_FUZZ_TARGET"] ?? ""
guard let target = allTargets.first(where: { $0.name == targetName }) else {
  let names = allTargets.map(\.name).joined(separator: ", ")
  FileHandle.standardError.write(Data("glossa-fuzz: set GLOSSA_FUZZ_TARGET to one of: \(names)\n".utf8))
  exit(2)
}
/// The one target this process checks.
nonisolated(unsafe) let selected = target

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(
  LLVMFuzzerRunDriver(&argc, &argv) { bytes, size in
    let input = bytes.map { Data(bytes: $0, count: size) } ?? Data()
    do {
      try selected.check(input)
    } catch {
      // A refused input: the error must say which file.
      requireNamesTheFile(error)
    }
    return 0
  })
