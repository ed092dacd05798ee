#!/usr/bin/env python3
"""Build the bundled demo corpus: demo/corpus.jsonl and demo/truth.jsonl.

All text is original, written for this project and released under CC0 1.0
(see demo/README.md).  Every person, place, paper and agency is fictional.

Inputs (hand-written, in demo/articles/):
  meta.json          one entry per hand-written text: id, date, source, title,
                     kind (original | control | distractor | partial |
                     paraphrased), file, and for partial/paraphrased "of"
  <file>.txt         first line = headline, blank line, then the body with
                     paragraphs separated by blank lines.  In "partial" host
                     articles a paragraph "{{quote N}}" is replaced by
                     paragraph N (1-based) of the original, verbatim.

Derived documents (duplicate, abridged, edited) are made here from the
originals by the recipes in DERIVED below.  Page junk (headers, bylines,
photo captions, aggregator footers) is placed with a fixed random seed, so
the output is byte-identical on every run:

    python demo/build_demo.py            # (re)write corpus.jsonl, truth.jsonl
    python demo/build_demo.py --check    # fail if the committed files differ
    python demo/build_demo.py --table    # print the README table of relations

Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
CORPUS = HERE / "corpus.jsonl"
TRUTH = HERE / "truth.jsonl"
SEED = 20240305

# --------------------------------------------------------------------------
# Papers and aggregators (all fictional)
# --------------------------------------------------------------------------

# Aggregator footers: the same lines recur on every page an aggregator serves.
AGGREGATORS = {
    "paperstand": ["Regional Papers of the Coast", "Copyright and distribution by Paperstand Digital Editions"],
    "newsfold": ["Northern Press Collection", "Printed and distributed by Newsfold Media Ltd."],
    "prairie": ["Prairie Pages", "Copyright © 2024 Prairie Pages Syndication. Reproduced under licence."],
}

# slug -> (paper name, aggregator or None, header style)
PAPERS = {
    # duplicates
    "harbourton-gazette": ("The Harbourton Gazette", "paperstand", "plain"),
    "veldmark-courier": ("Veldmark Courier", "newsfold", "dotted"),
    "kestrelford-evening-post": ("Kestrelford Evening Post", "paperstand", "dotted"),
    "port-elwin-mariner": ("The Port Elwin Mariner", "paperstand", "plain"),
    "avondray-farmers-journal": ("Avondray Farmers' Journal", "newsfold", "banner"),
    "cedar-hollow-sentinel": ("Cedar Hollow Sentinel", "prairie", "banner"),
    "osterfield-advertiser": ("Osterfield Advertiser", "newsfold", "dotted"),
    "lindenmoor-observer": ("The Lindenmoor Observer", "newsfold", "plain"),
    # abridged
    "midland-commuter": ("The Midland Commuter", None, None),
    "northern-ledger": ("The Northern Ledger", None, "plain"),
    "coast-weekly": ("Coast Weekly", "paperstand", "dotted"),
    "brannock-times": ("The Brannock Times", None, None),
    "provincial-morning-star": ("Provincial Morning Star", "prairie", "dotted"),
    "greywater-chronicle": ("Greywater Chronicle", "paperstand", "banner"),
    "plains-gazette": ("The Plains Gazette", None, None),
    # edited
    "eastside-examiner": ("The Eastside Examiner", None, None),
    "riverside-standard": ("Riverside Standard", None, "plain"),
    "westshore-tribune": ("Westshore Tribune", None, None),
    "dunmere-herald": ("Dunmere Herald", None, "banner"),
    "tollgate-examiner": ("Tollgate Examiner", "prairie", "plain"),
    "midshire-chronicle": ("Midshire Chronicle", None, None),
    "southern-reporter": ("The Southern Reporter", None, None),
}

# Photo captions per original: (credit, caption, second caption or None)
CAPTIONS = {
    "wire-2024-03-05-harbourton-water-main": (
        "ELLIS MORROW/COASTAL WIRE SERVICE",
        "Workers inspect the broken main on Quayside Road on Tuesday.",
        "Volunteers hand out bottled water at the Quayside community hall.",
    ),
    "wire-2024-03-11-veldmark-rail-strike": (
        "ANNIKA DROST/MERIDIAN PRESS",
        "Striking drivers hand out leaflets outside Veldmark central station on Monday.",
        None,
    ),
    "wire-2024-03-19-kestrelford-museum-painting": (
        "RUTH CALDER/NORTHLINE NEWS",
        "Chief curator Miriam Castellane with “Evening Tide at Kestrelford” after its unwrapping.",
        None,
    ),
    "wire-2024-04-02-port-elwin-storm": (
        "IAN TREGARTHEN/COASTAL WIRE SERVICE",
        "A sunken fishing boat lies on its side in the outer moorings at Port Elwin on Tuesday.",
        "The fish market lost most of its roof in the storm.",
    ),
    "wire-2024-04-09-brannock-barley-fungus": (
        "UNIVERSITY OF BRANNOCK",
        "Barley plots under movable rain shelters at the university's field station.",
        None,
    ),
    "wire-2024-06-17-cedar-hollow-wildfire": (
        "DALE MCKINNON/MERIDIAN PRESS",
        "Smoke rises over the Tamsin Hills west of Cedar Hollow on Monday.",
        "Traffic backs up on Route 9 as residents leave town.",
    ),
    "wire-2024-05-14-osterfield-factory-closure": (
        "PRIYA NAIR/MERIDIAN PRESS",
        "Workers leave the Kellner Appliances plant in Osterfield after Tuesday's announcement.",
        None,
    ),
    "wire-2024-05-28-lindenmoor-library-cuts": (
        "OWEN FAIRLIE/NORTHLINE NEWS",
        "Protesters hold books aloft in the council chamber as the vote is taken.",
        None,
    ),
    "wire-2024-05-21-greywater-bridge-reopens": (
        "ELLIS MORROW/COASTAL WIRE SERVICE",
        "A school bus leads the first vehicles across the Tern Bridge on Tuesday morning.",
        None,
    ),
    "wire-2024-06-03-avondray-drought-wheat": (
        "SAM OYELOWO/MERIDIAN PRESS",
        "Stunted wheat in a field near Stoke Amery.",
        None,
    ),
    "wire-2024-04-16-dunmere-mayor-election": (
        "HERALD STAFF",
        "Adaeze Holm speaks to supporters at the Corn Exchange after the recount.",
        None,
    ),
}

# --------------------------------------------------------------------------
# Recipes for derived documents.  "a" is the original's id; the derived id is
# <paper-slug>-<date>-<slug>, dated `days` after the original.
# --------------------------------------------------------------------------

W_WATER = "wire-2024-03-05-harbourton-water-main"
W_RAIL = "wire-2024-03-11-veldmark-rail-strike"
W_MUSEUM = "wire-2024-03-19-kestrelford-museum-painting"
W_STORM = "wire-2024-04-02-port-elwin-storm"
W_BARLEY = "wire-2024-04-09-brannock-barley-fungus"
W_ELECTION = "wire-2024-04-16-dunmere-mayor-election"
W_STADIUM = "wire-2024-05-07-rovensby-stadium-plan"
W_FACTORY = "wire-2024-05-14-osterfield-factory-closure"
W_BRIDGE = "wire-2024-05-21-greywater-bridge-reopens"
W_LIBRARY = "wire-2024-05-28-lindenmoor-library-cuts"
W_DROUGHT = "wire-2024-06-03-avondray-drought-wheat"
W_FIRE = "wire-2024-06-17-cedar-hollow-wildfire"

DERIVED = [
    # ---- verbatim reprints with page junk --------------------------------
    dict(relation="duplicate", a=W_WATER, paper="harbourton-gazette", days=1, slug="water-main-bursts",
         headline="Water main bursts under port district, 14,000 homes cut off",
         byline="- By Nadia Kerr, Staff Writer", captions="qq-repeat", page="A1"),
    dict(relation="duplicate", a=W_RAIL, paper="veldmark-courier", days=0, slug="trains-stand-idle",
         headline="Trains stand idle as 48-hour strike begins",
         byline="By Johan Meyer", captions="photo-line", quotes="curly", page="1"),
    dict(relation="duplicate", a=W_MUSEUM, paper="kestrelford-evening-post", days=1, slug="evening-tide-comes-home",
         headline="Marwood's 'Evening Tide' is coming home",
         byline="By Claire Dunstan, Arts Editor", captions="qq", quotes="straight", page="A3"),
    dict(relation="duplicate", a=W_STORM, paper="port-elwin-mariner", days=2, slug="night-the-sea-came-over",
         headline="The night the sea came over the north wall",
         byline="- By Tom Penrose", captions="qq-repeat", page="A1",
         jump=(4, "SEE STORM, PAGE A4", "STORM FROM PAGE A1")),
    dict(relation="duplicate", a=W_BARLEY, paper="avondray-farmers-journal", days=3, slug="fungus-barley-drought",
         headline="Could a soil fungus save the barley crop?",
         byline="MERIDIAN PRESS AGENCY", captions="paren", page="14"),
    dict(relation="duplicate", a=W_FIRE, paper="cedar-hollow-sentinel", days=1, slug="town-empties-as-fire-nears",
         headline="Town empties as fire nears",
         byline="By Meridian Press staff", captions="qq-repeat", page="A1"),
    dict(relation="duplicate", a=W_FACTORY, paper="osterfield-advertiser", days=1, slug="kellner-closure-740-jobs",
         headline="740 jobs to go as Kellner quits Osterfield",
         byline="- By Helen Vose, Business Reporter", captions="qq", page="2"),
    dict(relation="duplicate", a=W_LIBRARY, paper="lindenmoor-observer", days=2, slug="library-hours-cut",
         headline="Libraries lose 16 hours a week as council votes 7–5",
         byline="By Aaron Whitlock", captions="photo-line", page="A2",
         jump=(5, "LIBRARIES CONTINUED ON A6", "LIBRARIES FROM A2")),
    # ---- abridged reprints -------------------------------------------------
    dict(relation="abridged", a=W_RAIL, paper="midland-commuter", days=0, slug="rail-strike-640-trains",
         headline="Rail strike cancels 640 trains in Veldmark", keep=[1, 2, 3, 4]),
    dict(relation="abridged", a=W_MUSEUM, paper="northern-ledger", days=2, slug="lost-marwood-bought",
         headline=None, keep=[1, 2, 3, 7, 9], page="B6"),
    dict(relation="abridged", a=W_STORM, paper="coast-weekly", days=4, slug="port-elwin-storm-damage",
         headline="Storm sinks nine boats at Port Elwin", keep=[1, 2, 3, 4, 5, 6],
         byline="Coastal Wire Service", captions="qq", page="5"),
    dict(relation="abridged", a=W_BARLEY, paper="brannock-times", days=1, slug="university-barley-breakthrough",
         headline="University team's fungus boosts barley yields", keep=[1, 2, 3, 5, 6, 8, 9]),
    dict(relation="abridged", a=W_FIRE, paper="provincial-morning-star", days=1, slug="cedar-hollow-evacuated",
         headline="3,500 ordered out as fire nears Cedar Hollow", keep=[1, 2, 3, 4, 5],
         byline="- By Meridian Press staff", captions="qq-repeat", page="A4"),
    dict(relation="abridged", a=W_BRIDGE, paper="greywater-chronicle", days=0, slug="tern-bridge-open-again",
         headline="Tern Bridge open again", keep=[1, 2, 3, 4, 6, 8],
         byline="By Chronicle staff", captions="qq", page="A1"),
    dict(relation="abridged", a=W_DROUGHT, paper="plains-gazette", days=1, slug="wheat-price-decade-high",
         headline="Wheat hits 10-year high as rain stays away", keep=[1, 2, 3, 4]),
    # ---- edited reprints ---------------------------------------------------
    dict(relation="edited", a=W_WATER, paper="eastside-examiner", days=1, slug="quayside-main-bursts",
         headline="Quayside main bursts, thousands without water",
         edits=[
             ("replace", "split open beneath Quayside Road early on Tuesday",
              "burst beneath Quayside Road in the early hours of Tuesday"),
             ("replace", "without running water for most of the day, city officials said",
              "without running water for most of the day, officials said"),
             ("replace", "The rupture, reported by a night-shift dock worker at 3:40 a.m., sent",
              "The rupture, first reported at 3:40 a.m., sent"),
             ("replace", "Tankers were stationed at three schools", "Water tankers were parked at three schools"),
             ("insert_after", 4, "In the Eastside district, which is fed by a separate main, supply was not "
              "affected, but several residents said they had filled baths and buckets as a precaution after "
              "hearing the news on local radio."),
             ("swap", 8, 9),
             ("replace", "Repairs to the road surface are expected to take ten days.",
              "Repairs to the road surface were expected to take ten days, a spokesperson added."),
         ],
         summary="wording changed in 5 places, a clause deleted, 1 local paragraph inserted, 2 paragraphs swapped"),
    dict(relation="edited", a=W_RAIL, paper="riverside-standard", days=1, slug="strike-strands-commuters",
         headline="Strike strands Riverside commuters", page="3",
         edits=[
             ("replace", "walked out at midnight on Sunday", "went on strike at midnight on Sunday"),
             ("replace", "searching for other ways to get to work", "looking for other ways of reaching work"),
             ("replace", ", speaking outside the central station as drivers handed leaflets to passers-by", ""),
             ("replace", "On the roads, the impact was immediate.", "The effect on the roads was felt at once."),
             ("insert_after", 6, "In Riverside, where around 3,000 people normally take the train into Veldmark "
              "each weekday, the park-and-ride car park at the station stood almost empty on Monday morning, and "
              "the town's two taxi firms said they had been fully booked since Friday."),
             ("swap", 8, 9),
             ("replace", "Talks are scheduled to resume", "Talks were due to resume"),
         ],
         summary="wording changed in 4 places, a clause deleted, 1 local paragraph inserted, 2 paragraphs swapped"),
    dict(relation="edited", a=W_STORM, paper="westshore-tribune", days=1, slug="port-elwin-storm-lifeboat",
         headline="Fierce storm batters Port Elwin",
         edits=[
             ("replace", "A violent overnight storm", "A fierce overnight storm"),
             ("replace", "tore through the fishing port", "swept through the fishing port"),
             ("replace", "No one was killed, but", "There were no deaths, but"),
             ("replace", " and released on Tuesday morning", ""),
             ("replace", "By daylight, the quay was littered", "At first light, the quay was strewn"),
             ("swap", 6, 7),
             ("insert_after", 9, "Westshore's own lifeboat crew was among those called out on Monday night, and "
              "its coxswain, Bryn Aldous, said conditions were the worst he had seen in 15 years of service."),
         ],
         summary="wording changed in 4 places, a clause deleted, 2 paragraphs swapped, 1 local paragraph appended"),
    dict(relation="edited", a=W_ELECTION, paper="dunmere-herald", days=0, slug="holm-wins-by-312",
         headline="HOLM WINS BY 312", byline="By Herald reporters", captions="paren", page="1",
         edits=[
             ("replace", "was declared mayor of Dunmere early on Tuesday",
              "was declared Dunmere's new mayor in the early hours of Tuesday"),
             ("replace", "Third-placed Priya Lund", "In third place, Priya Lund"),
             ("replace", ", many of whom had waited through the night", ""),
             ("insert_after", 3, "Outside the Corn Exchange, a small crowd of Holm supporters sang and banged "
              "saucepans in the market square as the result filtered out, and the landlord of the Wheatsheaf "
              "opened his doors early to serve tea."),
             ("swap", 6, 7),
             ("replace", "Holm said her first act would be", "Holm said her first act as mayor will be"),
         ],
         summary="wording changed in 3 places, a clause deleted, 1 local paragraph inserted, 2 paragraphs "
                 "swapped"),
    dict(relation="edited", a=W_FIRE, paper="tollgate-examiner", days=2, slug="tollgate-crews-join-fire-fight",
         headline="Tollgate crews join fight as Cedar Hollow empties", byline="- By Examiner staff",
         captions="qq", page="A1",
         edits=[
             ("replace", "were ordered to leave their homes on Monday", "were told to evacuate on Monday"),
             ("replace", "a fast-moving wildfire", "a rapidly spreading wildfire"),
             ("replace", " at a briefing in the high school gym", ""),
             ("replace", "By mid-afternoon, traffic on Route 9 was backed up for several kilometres",
              "By mid-afternoon, Route 9 was jammed for several kilometres"),
             ("swap", 5, 6),
             ("insert_after", 7, "Two engines and 11 firefighters from the Tollgate volunteer brigade left for "
              "Cedar Hollow on Monday afternoon, the brigade’s chief said, and more crews were on standby."),
         ],
         summary="wording changed in 3 places, a clause deleted, 2 paragraphs swapped, 1 local paragraph "
                 "inserted"),
    dict(relation="edited", a=W_FACTORY, paper="midshire-chronicle", days=1, slug="kellner-suppliers-fear",
         headline="Kellner closure: Midshire suppliers fear knock-on job losses",
         edits=[
             ("replace", "will close by the end of next year with the loss of 740 jobs",
              "is to shut by the end of next year, with 740 jobs lost"),
             ("replace", "said it would move production", "plans to move production"),
             ("replace", ", and that energy costs at the Osterfield plant were nearly twice those at its other "
              "European factories", ""),
             ("replace", "“This is a hammer blow,”", "“This is a devastating blow,”"),
             ("insert_after", 5, "Several Kellner suppliers are based in Midshire, including a plastics moulding "
              "firm in Hallowford that employs 90 people and sells more than half of its output to the "
              "Osterfield plant."),
             ("swap", 8, 9),
         ],
         summary="wording changed in 3 places, a clause deleted, 1 local paragraph inserted, 2 paragraphs swapped"),
    dict(relation="edited", a=W_DROUGHT, paper="southern-reporter", days=2, slug="wheat-ten-year-high",
         headline="Wheat at ten-year high as plains stay dry",
         edits=[
             ("replace", "climbed to their highest level in a decade", "rose to a ten-year high"),
             ("replace", "raised fears of a poor harvest", "stoked fears of a weak harvest"),
             ("replace", ", less than a quarter of the long-term average for the period,", ","),
             ("replace", "Higher grain prices are expected to feed through to food costs.",
              "Higher grain prices will likely push up food costs."),
             ("insert_after", 6, "In the south of the region, where rainfall has been slightly higher, growers "
              "said crops were holding up better, though many had started irrigating earlier in the season "
              "than usual."),
             ("swap", 9, 10),
         ],
         summary="wording changed in 3 places, a clause deleted, 1 local paragraph inserted, 2 paragraphs swapped"),
]

# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


def read_article(name: str) -> tuple[str, list[str]]:
    """(headline, paragraphs) of a hand-written file."""
    raw = (ARTICLES / name).read_text(encoding="utf-8")
    head, _, body = raw.partition("\n\n")
    paras = [p.strip() for p in body.strip().split("\n\n")]
    assert head.strip() and "\n" not in head.strip(), name
    assert all(p and "\n" not in p for p in paras), f"{name}: paragraphs must be single lines"
    return head.strip(), paras


def shift(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def curly(text: str) -> str:
    """Straight quotes and double hyphens to typographic ones."""
    text = text.replace(" -- ", " — ")
    text = re.sub(r'(^|[\s(\[—])"', "\\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[—])'", "\\1‘", text)
    return text.replace("'", "’")


def straight(text: str) -> str:
    """Typographic quotes and dashes to the plain ASCII ones."""
    for a, b in (("“", '"'), ("”", '"'), ("‘", "'"), ("’", "'"), (" — ", " -- "), ("–", "-")):
        text = text.replace(a, b)
    return text


def page_header(paper: str, style: str, date: str, page: str) -> str:
    name, _, _ = PAPERS[paper]
    d = dt.date.fromisoformat(date)
    if style == "plain":
        return name
    if style == "dotted":
        return f"{name} · {d.day} {MONTHS[d.month - 1]} {d.year} · {page}"
    if style == "banner":
        return f"{name.upper()} | {d.strftime('%A')}, {d.strftime('%B')} {d.day}, {d.year} | Page {page}"
    raise ValueError(style)


def caption_block(a: str, style: str, rng: random.Random) -> list[str]:
    credit, first, second = CAPTIONS[a]
    texts = [first] + ([second] if second and rng.random() < 0.6 else [])
    lines: list[str] = []
    for text in texts:
        if style == "qq":
            lines.append(f"?? {credit} ??  {text}")
        elif style == "qq-repeat":
            # The aggregator's OCR keeps the caption twice: once with its
            # unreadable bullet glyphs as "??", once without.
            lines.append(f"?? {credit} ??  {text}")
            lines.append(f"{credit} {text}")
        elif style == "photo-line":
            lines.append(f"PHOTO: {credit}")
            lines.append(text)
        elif style == "paren":
            who = credit.split("/")[0].title()
            lines.append(f"{text} (Photo/{who})")
        else:
            raise ValueError(style)
    return lines


def apply_edits(paras: list[str], edits: list[tuple]) -> list[str]:
    paras = list(paras)
    for op in edits:
        if op[0] == "replace":
            _, old, new = op
            hits = [i for i, p in enumerate(paras) if old in p]
            assert len(hits) == 1 and paras[hits[0]].count(old) == 1, f"edit not unique: {old!r}"
            paras[hits[0]] = paras[hits[0]].replace(old, new)
        elif op[0] == "insert_after":
            _, k, text = op
            assert 1 <= k <= len(paras)
            paras.insert(k, text)
        elif op[0] == "swap":
            _, i, j = op
            paras[i - 1], paras[j - 1] = paras[j - 1], paras[i - 1]
        else:
            raise ValueError(op[0])
    return paras


def assemble(spec: dict, body: list[str], date: str, rng: random.Random) -> tuple[str, list[str]]:
    """Full page text for a derived document, and a list of the junk kinds added."""
    paper = spec["paper"]
    name, agg, header_style = PAPERS[paper]
    added: list[str] = []
    blocks: list[str] = []
    body = list(body)
    if spec.get("jump"):
        k, see, cont = spec["jump"]
        body = body[:k] + [see, cont] + body[k:]
        added.append("jump lines")
    if spec.get("captions"):
        lines = caption_block(spec["a"], spec["captions"], rng)
        # Captions land between two body paragraphs or after the last one.
        where = rng.randint(2, len(body))
        body.insert(where, "\n".join(lines))
        added.append(f"{len(lines)} caption line{'s' if len(lines) > 1 else ''}")
    if header_style:
        blocks.append(page_header(paper, header_style, date, spec.get("page", "1")))
        added.insert(0, "page header")
    if header_style or spec.get("byline"):
        blocks.append(spec["headline"] or read_article(spec["a"] + ".txt")[0])
    if spec.get("byline"):
        blocks.append(spec["byline"])
        added.append("byline")
    blocks.extend(body)
    if agg:
        blocks.append("\n".join(AGGREGATORS[agg]))
        added.append(f"footer of aggregator {agg}")
    return "\n\n".join(blocks) + "\n", added


def ordinal_list(nums: list[int]) -> str:
    return ", ".join(str(n) for n in nums[:-1]) + (" and " if len(nums) > 1 else "") + str(nums[-1])


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------


def build() -> tuple[list[dict], list[dict]]:
    rng = random.Random(SEED)
    meta = json.loads((ARTICLES / "meta.json").read_text(encoding="utf-8"))
    docs: list[dict] = []
    truth: list[dict] = []
    originals: dict[str, dict] = {}
    bodies: dict[str, list[str]] = {}

    for m in meta:
        title, paras = read_article(m["file"])
        assert title == m["title"], f"{m['id']}: title in meta.json differs from the file's headline"
        assert re.search(r"\d{4}-\d{2}-\d{2}", m["id"]).group(0) == m["date"], m["id"]
        if m["kind"] == "original":
            words = sum(len(p.split()) for p in paras)
            assert m["id"].startswith("wire-"), m["id"]
            assert 350 <= words <= 600 and 7 <= len(paras) <= 12, (m["id"], words, len(paras))
            originals[m["id"]] = m
            bodies[m["id"]] = paras

    for m in meta:
        title, paras = read_article(m["file"])
        if m["kind"] == "partial":
            src = bodies[m["of"]]
            quoted = []
            out = []
            for p in paras:
                q = re.fullmatch(r"\{\{quote (\d+)\}\}", p)
                if q:
                    n = int(q.group(1))
                    quoted.append(n)
                    out.append(src[n - 1])
                else:
                    assert "{{" not in p, m["id"]
                    out.append(p)
            paras = out
            truth.append(dict(a=m["of"], b=m["id"], relation="partial",
                              note=f"new article quoting paragraph{'s' if len(quoted) > 1 else ''} "
                                   f"{ordinal_list(quoted)} of the original verbatim"))
        elif m["kind"] == "paraphrased":
            assert len(paras) == len(bodies[m["of"]]), m["id"]
            truth.append(dict(a=m["of"], b=m["id"], relation="paraphrased",
                              note="hand-written paraphrase in the style of a machine-translation round trip; "
                                   "every fact kept, almost every sentence reworded"))
        if m["kind"] in ("partial", "paraphrased"):
            delay = (dt.date.fromisoformat(m["date"]) - dt.date.fromisoformat(originals[m["of"]]["date"])).days
            assert 0 <= delay <= 5, m["id"]
        docs.append(dict(id=m["id"], text="\n\n".join(paras) + "\n", date=m["date"], source=m["source"],
                         title=title))

    used_papers = {m["id"].split("-20")[0] for m in meta}
    for spec in DERIVED:
        orig = originals[spec["a"]]
        date = shift(orig["date"], spec["days"])
        assert 0 <= spec["days"] <= 5
        paper = spec["paper"]
        assert paper not in used_papers, f"paper used twice: {paper}"
        used_papers.add(paper)
        doc_id = f"{paper}-{date}-{spec['slug']}"
        paras = bodies[spec["a"]]
        rel = spec["relation"]
        if rel == "duplicate":
            body = list(paras)
            note = "verbatim reprint"
        elif rel == "abridged":
            keep = spec["keep"]
            body = [paras[i - 1] for i in keep]
            dropped = [i for i in range(1, len(paras) + 1) if i not in keep]
            if keep == list(range(1, len(keep) + 1)):
                note = f"first {len(keep)} of {len(paras)} paragraphs kept"
            else:
                note = f"paragraphs {ordinal_list(dropped)} of {len(paras)} dropped"
        elif rel == "edited":
            body = apply_edits(paras, spec["edits"])
            note = spec["summary"]
        else:
            raise ValueError(rel)
        quotes = spec.get("quotes")
        if quotes == "curly":
            body = [curly(p) for p in body]
            note += "; straight quotes changed to typographic ones"
        elif quotes == "straight":
            body = [straight(p) for p in body]
            note += "; typographic quotes and dashes changed to plain ones"
        text, added = assemble(spec, body, date, rng)
        if added:
            note += "; page junk added: " + ", ".join(added)
        headline = spec["headline"] or orig["title"]
        if headline != orig["title"]:
            note += "; new headline"
        docs.append(dict(id=doc_id, text=text, date=date, source=PAPERS[paper][0], title=headline))
        truth.append(dict(a=spec["a"], b=doc_id, relation=rel, note=note))

    ids = [d["id"] for d in docs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    docs.sort(key=lambda d: (d["date"], d["id"]))
    order = {"duplicate": 0, "abridged": 1, "edited": 2, "partial": 3, "paraphrased": 4}
    truth.sort(key=lambda t: (t["a"], order[t["relation"]], t["b"]))
    return docs, truth


def dumps(rows: list[dict]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def table(truth: list[dict], docs: list[dict]) -> str:
    by_id = {d["id"]: d for d in docs}
    out = ["| original (a) | derived (b) | relation | source of b | what was done |", "|---|---|---|---|---|"]
    for t in truth:
        out.append(f"| `{t['a']}` | `{t['b']}` | {t['relation']} | {by_id[t['b']]['source']} | {t['note']} |")
    return "\n".join(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if corpus.jsonl or truth.jsonl would change")
    ap.add_argument("--table", action="store_true", help="print the Markdown table of planted relations")
    args = ap.parse_args()
    docs, truth = build()
    corpus_s, truth_s = dumps(docs), dumps(truth)
    if args.table:
        print(table(truth, docs))
        return 0
    if args.check:
        stale = [p.name for p, s in ((CORPUS, corpus_s), (TRUTH, truth_s))
                 if not p.exists() or p.read_text(encoding="utf-8") != s]
        if stale:
            print(f"out of date: {', '.join(stale)} (run python demo/build_demo.py)", file=sys.stderr)
            return 1
        print("demo corpus is up to date")
        return 0
    CORPUS.write_text(corpus_s, encoding="utf-8", newline="\n")
    TRUTH.write_text(truth_s, encoding="utf-8", newline="\n")
    counts: dict[str, int] = {}
    for t in truth:
        counts[t["relation"]] = counts.get(t["relation"], 0) + 1
    print(f"wrote {CORPUS.relative_to(HERE.parent)} ({len(docs)} documents) and "
          f"{TRUTH.relative_to(HERE.parent)} ({len(truth)} pairs: "
          + ", ".join(f"{k} {v}" for k, v in counts.items()) + ")")
    return 0


if __name__ == "__main__":
    sys.exit(main())
