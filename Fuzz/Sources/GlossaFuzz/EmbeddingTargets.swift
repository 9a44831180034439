import Foundation
import GlossaEmbeddings

let embeddingTargets = [
  // word2vec text and binary, GloVe and fastText `.vec`, recognised by content: what loads,
  // written in the format it was read as, loads to the same words and vectors.
  FuzzTarget(name: "vectors") { input in
    let vectors = try KeyedVectors(data: input, file: inputName)
    let format = KeyedVectors.format(of: input)
    let again = try KeyedVectors(data: vectors.serialized(as: format), format: format, file: "written")
    require(again.words == vectors.words, "the words changed in a \(format) round trip")
    require(again.dimension == vectors.dimension, "the dimension changed in a \(format) round trip")
    require(
      zip(again.vectors, vectors.vectors).allSatisfy(sameFloat), "a vector changed in a \(format) round trip")
    if let word = vectors.words.first { _ = try vectors.mostSimilar(positive: [word], top: 3) }
  },
  // Any embedding file `glossa embed` opens: vector files, and Word2Vec and FastText models
  // saved as safetensors.
  FuzzTarget(name: "embedding-file") { input in
    let file = try EmbeddingFile(contentsOf: scratchFile(inputName, input))
    if let word = file.vectors.words.first {
      _ = try file.vector(word)
      _ = try file.mostSimilar(word, top: 3)
    }
    _ = try? file.vector("an unseen word")
  },
]
