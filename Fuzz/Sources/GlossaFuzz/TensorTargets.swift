import Foundation
import GlossaTensor

/// safetensors: a file that loads gives every tensor as floats, and its serialization loads
/// back to the same tensors and metadata.
let tensorTargets = [
  FuzzTarget(name: "safetensors") { input in
    let file = try SafeTensors(data: input, file: inputName)
    for name in file.names { _ = try? file.tensor(name) }
    let again = try SafeTensors(data: try file.serialized(), file: "serialized")
    require(again.metadata == file.metadata, "metadata changed in a round trip")
    require(again.names == file.names, "tensor names changed in a round trip")
    for name in file.names {
      let (a, b) = (file.entries[name]!, again.entries[name]!)
      require(
        a.dtype == b.dtype && a.shape == b.shape && a.bytes == b.bytes,
        "tensor \(name) changed in a round trip")
    }
  }
]
