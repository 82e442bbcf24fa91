"""Likely duplicated efforts between organisations' ongoing actions. Plain Python + NumPy,
no Django, so it can be measured on a labelled set alone (docs/directory.md).

Two actions are a *candidate pair* only when they share the theme, at least one zone and
at least one day, and come from two different organisations. Their *text similarity*
is the cosine of TF-IDF vectors of their words (title, details, for whom), after
removing accents, stop words and plurals and cutting each word to its first
``STEM_LENGTH`` letters (a crude stemmer that joins "livraison"/"livraisons"/"livrer"
or "âgé"/"âgées" in French and "deliver"/"delivery" in English). IDF weights come from
every current action of the territory, so words every action uses ("aide", "personnes")
count for little and specific ones ("courtoisie", "masques") for a lot.
A pair whose similarity reaches ``THRESHOLD`` is shown to coordinators.
"""

import datetime as dt
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

import numpy as np

STEM_LENGTH = 6
THRESHOLD = 0.15

_STOP_WORDS = """
a à au aux avec ce ces cet cette chaque dans de des du elle en et il ils la le les leur
leurs lui ou par pas plus pour qui que sa se ses son sur un une nos notre vos votre
est sont ont tous toutes tout afin chez entre sans
the of and or for to in on at by with an is are from its their who our we this that
all each per every
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class ActionItem:
    key: Hashable
    organisation: Hashable
    theme: str
    zones: frozenset
    start: dt.date
    end: dt.date
    text: str


def tokens(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = []
    for word in _WORD.findall(plain):
        if len(word) < 3 or word in STOP_WORDS:
            continue
        if len(word) > 4 and word[-1] in "sx":
            word = word[:-1]
        words.append(word[:STEM_LENGTH])
    return words


class TextModel:
    """TF-IDF over a corpus of action texts; words outside it get the highest weight."""

    def __init__(self, idf: dict[str, float], unseen_idf: float) -> None:
        self.idf = idf
        self.unseen_idf = unseen_idf

    @classmethod
    def fit(cls, corpus: Iterable[str]) -> "TextModel":
        documents = [set(tokens(text)) for text in corpus]
        count = len(documents)
        frequency = Counter(word for document in documents for word in document)
        idf = {word: math.log((1 + count) / (1 + df)) + 1 for word, df in frequency.items()}
        return cls(idf, math.log(1 + count) + 1)

    def vectors(self, texts: list[str]) -> tuple[np.ndarray, list[str]]:
        """L2-normalised TF-IDF rows (sub-linear term frequency) and their vocabulary."""
        counted = [Counter(tokens(text)) for text in texts]
        vocabulary = sorted({word for counts in counted for word in counts})
        index = {word: i for i, word in enumerate(vocabulary)}
        matrix = np.zeros((len(texts), len(vocabulary)))
        for row, counts in enumerate(counted):
            for word, n in counts.items():
                matrix[row, index[word]] = (1 + math.log(n)) * self.idf.get(word, self.unseen_idf)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms == 0, 1, norms), vocabulary

    def similarity(self, first: str, second: str) -> float:
        matrix, _vocabulary = self.vectors([first, second])
        return float(matrix[0] @ matrix[1])

    def similarity_matrix(self, texts: list[str]) -> np.ndarray:
        matrix, _vocabulary = self.vectors(texts)
        return matrix @ matrix.T


def comparable(first: ActionItem, second: ActionItem) -> bool:
    """Same theme, different organisations, a shared zone and a shared day."""
    return (
        first.theme == second.theme
        and first.organisation != second.organisation
        and bool(first.zones & second.zones)
        and first.start <= second.end
        and second.start <= first.end
    )


def pair_score(first: ActionItem, second: ActionItem, model: TextModel) -> float | None:
    """The text similarity of two comparable actions, or None when they are not."""
    if not comparable(first, second):
        return None
    return model.similarity(first.text, second.text)


def detect(
    items: list[ActionItem], model: TextModel | None = None, threshold: float = THRESHOLD
) -> list[tuple[Hashable, Hashable, float]]:
    """Every likely duplicate pair among ``items``, most similar first."""
    model = model or TextModel.fit(item.text for item in items)
    similarity = model.similarity_matrix([item.text for item in items])
    pairs = []
    for i, first in enumerate(items):
        for j in range(i + 1, len(items)):
            second = items[j]
            if comparable(first, second) and similarity[i, j] >= threshold:
                pairs.append((first.key, second.key, float(similarity[i, j])))
    return sorted(pairs, key=lambda pair: -pair[2])
