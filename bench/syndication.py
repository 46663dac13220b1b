"""Seeded generator of a labelled syndication corpus (for the dedup benchmark and tests).

A wire story is republished by outlets with edits (new headline, trimmed tail, paywall cut,
brief, editor's note, credit line, outlet boilerplate, merged or reordered paragraphs, typos,
updates); hard negatives are different stories that look alike: split siblings sharing a
dateline and background paragraphs, template siblings (earnings, scores, markets reports of one
template with other names, people, companies and places, and other figures or the same ones)
and every story of one outlet sharing its boilerplate. Each record carries its true story in
`label`.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from newswire.demo.text import FIRMS, FIRST_NAMES, LAST_NAMES

# Default corpus shape: wire stories, share republished, copies per republished story.
DEFAULT_STORIES = 240
REPUBLISHED_SHARE = 0.8
MAX_COPIES = 7

# Further reports per template story (of one template, each a story of its own), and the share
# of them that keep the first one's figures (only the names tell them apart).
TEMPLATE_SIBLINGS = (1, 3)
SAME_FIGURES_SHARE = 0.5

# The siblings come from a second generator seeded apart (its serial numbers its URLs from
# here), so the rest of the corpus is the same with or without them.
SIBLING_SEED = 1_000_003
SIBLING_SERIAL = 500_000

# Edit kinds applied to copies (each copy draws one to three).
EDITS = (
    "headline",
    "trim",
    "paywall",
    "brief",
    "editor_note",
    "credit",
    "merge",
    "reorder",
    "typos",
    "update",
)

_FUNCTION_WORDS = (
    "the of and to in a for on that with as by at from it its is was were has have had will "
    "would after over but not be this which their more than about also who into been while"
)
_FUNCTION = tuple(_FUNCTION_WORDS.split())
_PHRASES = (
    "said on Tuesday",
    "according to people familiar with the matter",
    "told reporters",
    "in a statement",
    "earlier this year",
    "did not immediately respond to a request for comment",
    "officials said",
    "the ministry said",
    "declined to comment",
    "a spokesperson said",
)
_CITIES = (
    "LONDON PARIS BERLIN TOKYO NAIROBI LIMA OSLO MADRID CAIRO SEOUL DELHI MANILA ROME "
    "WARSAW LAGOS QUITO ACCRA HANOI DOHA KYIV"
)
CITIES = tuple(_CITIES.split())
_ONSETS = "b c d f g h j k l m n p r s t v w z br cr dr fl gr pl pr st tr sh ch th"
_VOWELS = "a e i o u ai ea ou io ia"
AGENCIES = {"Reuters": "wire-r.example", "AP": "wire-ap.example", "AFP": "wire-afp.example"}
OUTLETS = (
    "courier",
    "herald",
    "gazette",
    "tribune",
    "chronicle",
    "observer",
    "sentinel",
    "post",
)


def _vocabulary(rng: random.Random, size: int = 4000) -> list[str]:
    """Pseudo-words built from syllables (a closed, seeded lexicon)."""
    onsets, vowels = _ONSETS.split(), _VOWELS.split()
    codas = ["", "", "n", "r", "s", "l", "t", "nd", "st", "rk", "m"]
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.choice((1, 2, 2, 3, 3, 4))
        words.add(
            "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
            + rng.choice(codas)
        )
    return sorted(words)


@dataclass(frozen=True)
class Doc:
    """One generated article before it becomes a record."""

    label: str
    source: str
    url: str
    title: str
    paragraphs: tuple[str, ...]
    published_at: datetime
    kinds: tuple[str, ...] = ()
    agency: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


class Generator:
    """Builds the corpus from one seed."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng)
        self.start = datetime(2026, 1, 15, tzinfo=UTC)
        self.boilerplate = {name: self._outlet_boilerplate(name) for name in OUTLETS}
        self.serial = 0
        self.updates: dict[str, str] = {}
        self.figures: dict[str, list[str]] = {}  # template story label → its figures

    def sibling_generator(self, seed: int) -> Generator:
        """A generator of other stories for the same outlets (their boilerplate, the lexicon)."""
        other = Generator.__new__(Generator)
        other.rng = random.Random(seed + SIBLING_SEED)
        other.words, other.start, other.boilerplate = self.words, self.start, self.boilerplate
        other.serial, other.updates, other.figures = SIBLING_SERIAL, {}, {}
        return other

    def _word(self) -> str:
        index = int(self.rng.paretovariate(0.9)) - 1  # Zipf-like: a few words are frequent
        return self.words[index % len(self.words)]

    def _name(self) -> str:
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def sentence(self, low: int = 12, high: int = 28) -> str:
        """A sentence of content words, function words, a number or a stock phrase."""
        words: list[str] = []
        for _ in range(self.rng.randint(low, high)):
            roll = self.rng.random()
            if roll < 0.4:
                words.append(self.rng.choice(_FUNCTION))
            elif roll < 0.43:
                words.append(str(self.rng.randint(2, 990)))
            elif roll < 0.46:
                words.append(self.rng.choice(LAST_NAMES))
            else:
                words.append(self._word())
        if self.rng.random() < 0.3:
            words.insert(self.rng.randint(0, len(words)), self.rng.choice(_PHRASES))
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self) -> str:
        """One to three sentences."""
        return " ".join(self.sentence() for _ in range(self.rng.choice((1, 2, 2, 3))))

    def _outlet_boilerplate(self, name: str) -> tuple[str, str]:
        """An outlet's fixed opening and closing paragraphs (not matched by clean patterns)."""
        return (
            f"The {name.title()} brings you the stories that matter most across the region"
            f" every day, from our newsroom and our partners at {self.sentence(4, 6)}",
            f"Readers of the {name.title()} can find more reporting like this in our weekly"
            f" digest and in the {name.title()} app on every platform. {self.sentence(5, 8)}",
        )

    def _url(self, host: str) -> str:
        self.serial += 1
        return f"https://{host}/news/{self.serial:06d}-{self.rng.choice(self.words)}"

    def wire_story(self, label: str, when: datetime, body: list[str] | None = None) -> Doc:
        """An agency original: dateline lead and five to twelve paragraphs."""
        agency = self.rng.choice(sorted(AGENCIES))
        city = self.rng.choice(CITIES)
        paragraphs = body or [self.paragraph() for _ in range(self.rng.randint(5, 12))]
        paragraphs[0] = f"{city} ({agency}) - {paragraphs[0]}"
        title = " ".join(self._word().title() for _ in range(self.rng.randint(5, 9)))
        return Doc(
            label,
            agency.lower(),
            self._url(AGENCIES[agency]),
            title,
            tuple(paragraphs),
            when,
            ("original",),
            agency,
        )

    def edit(self, doc: Doc, kind: str) -> Doc:
        """Apply one kind of republication edit."""
        paras = list(doc.paragraphs)
        rng = self.rng
        if kind == "headline":
            return replace(doc, title=" ".join(self._word().title() for _ in range(6)))
        if kind == "trim" and len(paras) > 4:
            paras = paras[: max(3, int(len(paras) * rng.uniform(0.55, 0.85)))]
        elif kind == "paywall" and len(paras) > 3:
            paras = paras[: rng.randint(2, 3)]
        elif kind == "brief":
            paras = paras[:2]
        elif kind == "editor_note":
            paras.append(f"Editor's note: {self.sentence(10, 16)}")
        elif kind == "credit":
            paras.append(f"Reporting by {self._name()}; Editing by {self._name()}")
        elif kind == "merge" and len(paras) > 3:
            i = rng.randrange(1, len(paras) - 1)
            paras[i : i + 2] = [paras[i] + " " + paras[i + 1]]
        elif kind == "reorder" and len(paras) > 4:
            i = rng.randrange(2, len(paras) - 1)
            paras[i], paras[i + 1] = paras[i + 1], paras[i]
        elif kind == "typos":
            paras = [self._typo(p) if rng.random() < 0.3 else p for p in paras]
        elif kind == "update":
            # The agency's one update of the story, which every later copy carries.
            if doc.label not in self.updates:
                self.updates[doc.label] = self.paragraph()
            paras.insert(1, self.updates[doc.label])
            paras = [self._renumber(p, doc.label) if i % 5 == 2 else p for i, p in enumerate(paras)]
        return replace(doc, paragraphs=tuple(paras))

    def _typo(self, paragraph: str) -> str:
        words = paragraph.split(" ")
        i = self.rng.randrange(len(words))
        if len(words[i]) > 4:
            w = words[i]
            j = self.rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
        return " ".join(words)

    def _renumber(self, paragraph: str, label: str) -> str:
        """The update's new figures (the same in every copy of the update)."""
        step = 1 + sum(map(ord, label)) % 9
        return " ".join(str(int(w) + step) if w.isdigit() else w for w in paragraph.split())

    def republish(self, doc: Doc, outlet: str, when: datetime) -> Doc:
        """An outlet's copy: one to three edits, wrapped in the outlet's boilerplate."""
        kinds = self.rng.sample(EDITS, self.rng.randint(1, 3))
        copy = doc
        for kind in kinds:
            copy = self.edit(copy, kind)
        opening, closing = self.boilerplate[outlet]
        return replace(
            copy,
            source=outlet,
            url=self._url(f"{outlet}.example"),
            paragraphs=(opening, *copy.paragraphs, closing),
            published_at=when,
            kinds=tuple(kinds),
        )

    def exact_copy(self, doc: Doc, when: datetime) -> Doc:
        """The same text under another URL of another agency mirror (an alias)."""
        host = AGENCIES[doc.agency or "Reuters"].replace("wire", "mirror")
        return replace(doc, url=self._url(host), published_at=when, kinds=("exact",))

    def version(self, doc: Doc, when: datetime) -> Doc:
        """The same URL later, with the story developed (a version)."""
        developed = self.edit(doc, "update")
        return replace(developed, published_at=when, kinds=("version",))

    def split_siblings(self, label: str, when: datetime, count: int) -> list[Doc]:
        """Different stories of one event: same dateline and shared background paragraphs."""
        background = [self.paragraph() for _ in range(2)]
        first = self.wire_story(f"{label}-0", when)
        dateline = first.paragraphs[0].split(" - ", 1)[0]
        siblings = []
        for i in range(count):
            own = [self.paragraph() for _ in range(self.rng.randint(4, 7))]
            own[0] = f"{dateline} - {own[0]}"
            paras = tuple(own + background)
            doc = replace(first, paragraphs=paras) if i == 0 else first
            siblings.append(
                replace(
                    doc,
                    label=f"{label}-{i}",
                    url=self._url(AGENCIES[first.agency or "Reuters"]),
                    paragraphs=paras,
                    title=" ".join(self._word().title() for _ in range(7)),
                    published_at=when + timedelta(minutes=20 * i),
                    kinds=("split_sibling",),
                )
            )
        return siblings

    def template_story(
        self, label: str, family: str, when: datetime, figures: list[str] | None = None
    ) -> Doc:
        """An earnings / scores / markets story: shared phrasing, its own names and figures
        (figures: the numbers to use, else new ones)."""
        rng = self.rng
        firm, person = rng.choice(FIRMS), self._name()
        place = CITIES[sum(map(ord, label)) % len(CITIES)].title()  # no draw: stream unchanged
        n = [str(rng.randint(2, 999)) for _ in range(12)]
        n = figures or n
        self.figures[label] = n
        templates = {
            "earnings": [
                f"{firm} reported fourth quarter net profit of {n[0]} million dollars on"
                f" revenue of {n[1]} million, up {n[2]} percent from a year earlier, the"
                f" {place} company said.",
                f"Chief executive {person} said demand held up in the quarter and the company"
                f" expects sales growth of {n[3]} to {n[4]} percent next year.",
                f"Analysts had expected earnings of {n[5]} cents a share, and the stock rose"
                f" {n[6]} percent in early trading after the results were released.",
                f"The company will pay a dividend of {n[7]} cents and buy back {n[8]} million"
                f" dollars of shares, {person} told analysts on a call.",
            ],
            "scores": [
                f"{firm} United beat {rng.choice(FIRMS)} City {n[0][0]}-{n[1][0]} on Saturday"
                f" in {place}, with two goals from {person} in front of {n[2]} fans.",
                f"{person} scored in the {n[3][:2]}th minute and again after the break as the"
                f" home side moved {n[4][0]} points clear at the top of the table.",
                f"The visitors had {n[5][:2]} percent of possession but managed only"
                f" {n[6][0]} shots on target, coach {self._name()} said after the match.",
            ],
            "markets": [
                f"Shares in {firm} led the {place} index higher on Monday, rising {n[0]} points"
                f" to {n[1]} as traders bet on lower interest rates.",
                f"The benchmark closed up {n[2]} points at {n[3]}, while the dollar slipped"
                f" {n[4]} cents against the euro, said {person} of {rng.choice(FIRMS)}.",
                f"Oil prices gained {n[5]} cents to {n[6]} dollars a barrel and gold rose"
                f" {n[7]} dollars to {n[8]} an ounce in late trading.",
            ],
        }[family]
        doc = self.wire_story(label, when, body=list(templates))
        return replace(doc, kinds=(f"template_{family}",))

    def template_siblings(self, first: Doc, family: str, figures: list[str]) -> list[Doc]:
        """Later reports of first's template (labels first's with -1, -2...), each a story of
        its own: other names, and other figures or (SAME_FIGURES_SHARE) first's."""
        base = first.label.rsplit("-", 1)[0]
        siblings = []
        for i in range(1, 1 + self.rng.randint(*TEMPLATE_SIBLINGS)):
            same = self.rng.random() < SAME_FIGURES_SHARE
            later = first.published_at + timedelta(minutes=self.rng.randint(10, 240))
            siblings.append(
                self.template_story(f"{base}-{i}", family, later, figures if same else None)
            )
        return siblings

    def with_copies(self, original: Doc) -> list[Doc]:
        """original and, most of the time, its outlets' copies, an exact copy, a version."""
        rng = self.rng
        docs = [original]
        if rng.random() > REPUBLISHED_SHARE:
            return docs
        outlets = rng.sample(OUTLETS, rng.randint(1, min(MAX_COPIES, len(OUTLETS))))
        for outlet in outlets:
            later = original.published_at + timedelta(minutes=rng.randint(5, 600))
            docs.append(self.republish(original, outlet, later))
        if rng.random() < 0.15:
            docs.append(self.exact_copy(original, original.published_at + timedelta(hours=1)))
        if rng.random() < 0.1:
            docs.append(self.version(original, original.published_at + timedelta(hours=3)))
        return docs


def generate(seed: int = 7, stories: int = DEFAULT_STORIES) -> list[Doc]:
    """A labelled corpus, in publication order."""
    gen = Generator(seed)
    rng = gen.rng
    docs: list[Doc] = []
    templates: list[tuple[Doc, str]] = []
    for s in range(stories):
        when = gen.start + timedelta(minutes=rng.randint(0, 60 * 24 * 3))
        roll = rng.random()
        if roll < 0.12:
            originals = gen.split_siblings(f"split{s}", when, rng.randint(2, 3))
        elif roll < 0.27:
            family = rng.choice(("earnings", "scores", "markets"))
            originals = [gen.template_story(f"tpl{s}-0", family, when)]
            templates.append((originals[0], family))
        else:
            originals = [gen.wire_story(f"story{s}", when)]
        for original in originals:
            docs.extend(gen.with_copies(original))
    siblings = gen.sibling_generator(seed)
    for first, family in templates:
        for sibling in siblings.template_siblings(first, family, gen.figures[first.label]):
            docs.extend(siblings.with_copies(sibling))
    docs.sort(key=lambda d: d.published_at)
    return docs


def records(docs: list[Doc]) -> Iterator[dict[str, Any]]:
    """Import records (JSONL rows) for the docs, true story in `label`, edits in `kinds`."""
    for i, doc in enumerate(docs):
        yield {
            "id": f"rec{i:06d}",
            "url": doc.url,
            "title": doc.title,
            "body": "\n\n".join(doc.paragraphs),
            "published_at": doc.published_at.isoformat(),
            "source": doc.source,
            "agency": doc.agency,
            "label": doc.label,
            "kinds": ",".join(doc.kinds),
        }
