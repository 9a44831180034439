"""The job of `glossa vectorize --method tfidf --output OUT.mtx CORPUS` in Python, as a whole
process: scikit-learn's TfidfVectorizer with Glossa's defaults (the lecture's \\b\\w+\\b words,
case kept, smooth IDF, l2 rows), scipy.io.mmwrite for the matrix and the vocabulary beside it,
one term per line in column order (OUT.vocab).

    python benchmarks/tfidf_cli_reference.py CORPUS OUT.mtx
"""
import os
import sys

import scipy.io
from sklearn.feature_extraction.text import TfidfVectorizer

corpus, output = sys.argv[1], sys.argv[2]
with open(corpus, encoding="utf-8") as f:
    documents = f.read().splitlines()
vectorizer = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b", lowercase=False)
matrix = vectorizer.fit_transform(documents)
scipy.io.mmwrite(output, matrix)
with open(os.path.splitext(output)[0] + ".vocab", "w", encoding="utf-8") as f:
    f.write("".join(term + "\n" for term in vectorizer.get_feature_names_out()))
