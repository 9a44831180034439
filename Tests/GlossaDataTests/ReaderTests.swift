import Foundation
import GlossaData
import Testing

/// The readers: what they read, and the file, line and field their errors name.
@Suite struct ReaderTests {
  @Test func labeledTextSplitsAtTheFirstTabAndNamesBadLines() throws {
    let examples = try LabeledText.parse("pos\ta fine film\n\nneg\tdull\tand long\n", file: "reviews.tsv")
    #expect(
      examples == [.init(label: "pos", text: "a fine film"), .init(label: "neg", text: "dull\tand long")])
    #expect(
      throws: DataFileError(
        file: "reviews.tsv", line: 2, message: "expected label<TAB>text, found no tab in \"no tab here\"")
    ) {
      try LabeledText.parse("pos\tgood\nno tab here\n", file: "reviews.tsv")
    }
    #expect(
      throws: DataFileError(
        file: "r.tsv", line: 1, field: "label", message: "the label (before the tab) is empty")
    ) {
      try LabeledText.parse("\tgood\n", file: "r.tsv")
    }
    #expect(throws: DataFileError(file: "r.tsv", message: "no examples (expected label<TAB>text lines)")) {
      try LabeledText.parse("\n\n", file: "r.tsv")
    }
    #expect(
      "\(DataFileError(file: "r.tsv", line: 3, field: "text", message: "empty"))" == "r.tsv:3: text: empty")
  }

  @Test func taggedSentencesAreTokenTagLinesOrCoNLLU() throws {
    let plain = try TaggedSentence.parse("The\tDT\ncat\tNN\n\nRuns\tVBZ\n")
    #expect(
      plain == [.init(tokens: ["The", "cat"], tags: ["DT", "NN"]), .init(tokens: ["Runs"], tags: ["VBZ"])])
    let conllu = """
      # sent_id = 1
      1-2\tdon't\t_\t_\t_\t_\t_\t_\t_\t_
      1\tdo\tdo\tAUX\t_\t_\t0\troot\t_\t_
      2\tn't\tnot\tPART\t_\t_\t1\tadvmod\t_\t_
      2.1\tx\tx\tX\t_\t_\t_\t_\t_\t_

      """
    #expect(try TaggedSentence.parse(conllu) == [.init(tokens: ["do", "n't"], tags: ["AUX", "PART"])])
    #expect(throws: DataFileError(file: "t.tsv", line: 2, message: "expected token<TAB>tag, found 3 fields"))
    {
      try TaggedSentence.parse("a\tDT\nb\tNN\textra\n", file: "t.tsv")
    }
  }

  @Test func csvTablesHonourQuotesAndNameTheirColumns() throws {
    let table = try CSVTable(
      parsing: "Date,Close,Note\n2020-01-02,10.5,\"up, a lot\"\n2020-01-03,,\"said \"\"hi\"\"\"\n",
      file: "p.csv")
    #expect(table.header == ["Date", "Close", "Note"])
    #expect(try table.column("Note") == ["up, a lot", "said \"hi\""])
    #expect(try table.numbers("Close") == [10.5, nil])
    #expect(
      throws: DataFileError(
        file: "p.csv", line: 1, message: "no column 'Open' (the header has Date, Close, Note)")
    ) {
      try table.column("Open")
    }
    #expect(throws: DataFileError(file: "q.csv", line: 3, message: "1 fields, expected 2 (a,b)")) {
      try CSVTable(parsing: "a,b\n1,2\n3\n", file: "q.csv")
    }
    #expect(throws: DataFileError(file: "q.csv", line: 2, field: "b", message: "'x' is not a number")) {
      try CSVTable(parsing: "a,b\n1,x\n", file: "q.csv").numbers("b")
    }
    #expect(throws: DataFileError(file: "q.csv", line: 2, message: "a quoted field is not closed")) {
      try CSVTable(parsing: "a,b\n1,\"open\n", file: "q.csv")
    }
  }

  @Test func parallelTextKeepsExtraFields() throws {
    let pairs = try ParallelPair.parse("In the beginning\tEn el principio\tGenesis 1:1\n")
    #expect(pairs == [.init(source: "In the beginning", target: "En el principio", extra: ["Genesis 1:1"])])
    #expect(
      throws: DataFileError(file: "p.tsv", line: 1, field: "target", message: "the target sentence is empty")
    ) {
      try ParallelPair.parse("hello\t \n", file: "p.tsv")
    }
  }

  @Test func aMissingFileIsNamed() {
    #expect(throws: DataFileError(file: "/no/such.tsv", message: "no such file")) {
      try LabeledText.read(URL(fileURLWithPath: "/no/such.tsv"))
    }
  }
}
