import Foundation

/// One fuzz target: the name its corpus folder and `GLOSSA_FUZZ_TARGET` use, and the check run
/// on every input. A check throws when the loader refuses the input (a malformed file, which is
/// the expected outcome for most inputs) and stops the process through ``require(_:_:)`` when
/// a property fails (libFuzzer keeps the input as a crash).
struct FuzzTarget: Sendable {
  let name: String
  let check: @Sendable (Data) throws -> Void
}

/// What every loader is told the input is called, so that each check can ask whether an
/// error names the file.
let inputName = "fuzz-input"

/// Every target, by name.
let allTargets: [FuzzTarget] =
  tensorTargets + textTargets + embeddingTargets + dataTargets + audioTargets + modelTargets

/// Stops the process (a crash to libFuzzer, which saves the input) when a property fails.
func require(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition {
    FileHandle.standardError.write(Data("property failed: \(message())\n".utf8))
    abort()
  }
}

/// A loader's error must say which file it is about; one that does not is a bug the fuzzer
/// reports, as it reports a crash.
func requireNamesTheFile(_ error: any Error, _ file: String = inputName) {
  let text = String(describing: error)
  require(text.contains(file), "an error that does not name the file: \(text)")
}

/// Two numbers read back from a file: equal with the same sign, or both NaN (a text file writes every NaN
/// as `nan`).
func sameFloat<T: BinaryFloatingPoint>(_ a: T, _ b: T) -> Bool {
  (a == b && a.sign == b.sign) || (a.isNaN && b.isNaN)
}

/// A scratch folder for loaders that read paths, one per process (libFuzzer's `-fork` and
/// `-jobs` run several).
let scratch: URL = {
  let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
  let url = URL(fileURLWithPath: base).appendingPathComponent("glossa-fuzz-\(getpid())")
  try? FileManager.default.removeItem(at: url)  // an earlier process of the same id may have left it
  try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}()

/// Writes `data` to `name` in the scratch folder and returns its URL.
func scratchFile(_ name: String, _ data: Data) -> URL {
  let url = scratch.appendingPathComponent(name)
  try! data.write(to: url)
  return url
}
