"""Text for the synthetic corpus (`curation.synthetic`): templates and vocabularies, prompt generators,
sentence pools with their token counts, and the assembly of one completion (`build_sample`).

Templates have slots ({A}, {NAME}, {EX} ...) filled at random and alternations ([[a|b|c]]), so a few
hundred templates give pools of tens of thousands of distinct sentences, and two texts share few word
5-grams beyond a handful of fixed phrases (what prompt dedup and sample distinctness measure). Traces
are joined from pre-built pool sentences chosen by numpy indices, never built character by character.
No real dataset text is used here.
"""
from __future__ import annotations

import importlib.util
import random
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from operator import itemgetter

import numpy as np

MAX_TOKENS = 32768  # the generation limit every sample stays under
CLEAN, WRONG, TRUNCATED, MIXED, LOOP = range(5)  # sample defects, as `curation.synthetic` plans them

NAMES = ("Alice Bob Carla Dmitri Elena Farid Grace Hiro Ines Jamal Keiko Liam Maya Nikhil Olga Pablo Quinn Rosa "
         "Samir Tara Umar Vera Wes Ximena Yusuf Zoe Anika Bruno Chloe Diego Emeka Fiona Gustav Hana Ivan Julia Kofi "
         "Lena Marco Nadia Oscar Priya Rafael Sofia Tomas Uma Victor Wanda Yara Aaron Beatriz Cyrus Daria Elif "
         "Felix Gemma Hugo Isla Jonas Kira Luca Mira Noah Omar Paula Ravi Selin Theo Ursula Valentin Willa").split()
OBJECTS = ("apples marbles coins books pencils stamps cards tiles beads shells tickets cookies candles bottles "
           "ribbons stickers buttons chairs lamps plates cups keys boxes flags bricks seeds stones rings jars "
           "crayons envelopes magnets puzzles kites blocks spoons towels notebooks batteries balloons").split()
PLACES = ("library market garden museum station bakery harbor workshop school park farm gallery theater "
          "warehouse cafe stadium clinic laboratory office village").split()
SHAPES = "triangle rectangle trapezoid rhombus hexagon pentagon parallelogram square kite circle".split()
MNOUNS = ("polynomial sequence function equation inequality matrix triangle circle series product sum "
          "recurrence lattice graph parabola ellipse integral determinant remainder quotient hyperbola "
          "progression expansion factorization congruence set partition permutation tiling chord tangent "
          "polygon prism cone sphere vector root exponent logarithm ratio average median divisor").split()
VARS = "x y z t u k m n a b c r s".split()
FUNCS = "f g h p q P Q".split()
VERBS = ("count find merge split sort rotate compress encode decode filter group rank score sum match collect "
         "balance schedule assign pack route label trim shift flatten invert pair cover reduce select").split()
THINGS = ("pairs intervals substrings windows paths islands tokens segments triples prefixes edges nodes "
          "queries rooms tasks ranges digits words cells orders suffixes subarrays rectangles points jobs events "
          "servers packets requests users files records columns rows tiles coins stones bricks lamps boxes trees "
          "leaves branches colors letters strings blocks buckets slots seats tickets routes cities roads bridges "
          "towers flights meetings bookings votes scores matches teams players moves steps").split()
DSTRUCT = ("hash map", "min-heap", "max-heap", "deque", "stack", "sorted list", "prefix sum array",
           "union-find structure", "segment tree", "Fenwick tree", "two-pointer window", "set", "trie",
           "monotonic stack", "monotonic deque", "bitmask table", "counter dictionary", "sparse table",
           "adjacency list", "priority queue", "ordered dict", "bit array", "difference array", "circular buffer")
COMPLEX = ("O(n)", "O(n \\log n)", "O(n^2)", "O(n \\cdot m)", "O(\\log n)", "O(n + m)", "O(k \\log n)", "O(n^3)",
           "O(2^n)", "O(n \\sqrt{n})", "O(n \\log^2 n)", "O(m \\log n)", "O(n k)", "O(n + q \\log n)", "O(V + E)")
QUANT = (("mass", "kg"), ("speed", "m/s"), ("energy", "J"), ("force", "N"), ("current", "A"), ("voltage", "V"),
         ("pressure", "kPa"), ("temperature", "K"), ("wavelength", "nm"), ("concentration", "mol/L"),
         ("power", "W"), ("charge", "C"), ("frequency", "Hz"), ("volume", "L"), ("distance", "m"))
SUBSTANCES = ("sodium chloride", "glucose", "ethanol", "copper sulfate", "ammonia", "methane", "benzene",
              "calcium carbonate", "hydrogen peroxide", "nitric acid", "potassium iodide", "acetic acid")
TOPICS = ("composting at home", "learning to swim", "saving for retirement", "training a puppy", "growing tomatoes",
          "planning a road trip", "writing a cover letter", "baking sourdough bread", "running a first marathon",
          "choosing a laptop", "reducing screen time", "learning a new language", "hosting a dinner party",
          "starting a podcast", "repairing a bicycle", "organizing a closet", "keeping houseplants alive",
          "preparing for an interview", "meditating daily", "painting with watercolors", "camping in the rain",
          "managing a small team", "cooking for a week", "moving to a new city", "buying a used car")
CITIES = ("Lisbon Oslo Nairobi Lima Hanoi Quito Tallinn Porto Osaka Dakar Bergen Cusco Krakow Seville Tbilisi "
          "Valparaiso Adelaide Halifax Ghent Lyon Bologna Riga Zagreb Accra Cebu").split()
ADJS = ("quick practical detailed friendly short careful cheap simple thorough creative gentle honest "
        "realistic balanced concise relaxed").split()
DAYS = "Mondays Tuesdays Wednesdays Thursdays Fridays Saturdays Sundays weekdays weekends holidays".split()
MONTHS = "January February March April May June July August September October November December".split()
ID_PREFIX = "cur best seen left right total last cnt max min num next prev good bad open free used new old".split()
ZH_OBJ = "苹果 书 学生 盒子 硬币 卡片 球 铅笔 花 椅子 车 鸟".split()


def _gen_expr(r: random.Random) -> str:
    v = r.choice(VARS[:5])
    return f"{r.randint(2, 9)}{v}^2 {r.choice('+-')} {r.randint(2, 30)}{v} {r.choice('+-')} {r.randint(1, 60)}"


_GEN = {
    "A": lambda r, g: str(r.randint(2, 99)), "B": lambda r, g: str(r.randint(2, 99)),
    "C": lambda r, g: str(r.randint(2, 99)), "D": lambda r, g: str(r.randint(2, 40)),
    "N": lambda r, g: str(r.randint(10, 9999)), "M": lambda r, g: str(r.randint(10, 999)),
    "P": lambda r, g: str(r.randint(2, 12)), "K": lambda r, g: str(r.randint(3, 9)),
    "W": lambda r, g: str(r.randint(2, 999)), "PP": lambda r, g: str(r.randint(2, 60)),
    "KK": lambda r, g: str(r.randint(3, 40)),
    "AB": lambda r, g: str(int(g("A")) * int(g("B"))), "APB": lambda r, g: str(int(g("A")) + int(g("B"))),
    "AMB": lambda r, g: str(int(g("A")) - int(g("B"))), "X": lambda r, g: f"{r.randint(1, 99)}.{r.randint(0, 9)}",
    "V": lambda r, g: r.choice(VARS), "F": lambda r, g: r.choice(FUNCS), "EX": lambda r, g: _gen_expr(r),
    "FR": lambda r, g: f"\\frac{{{r.randint(1, 40)}}}{{{r.randint(41, 97)}}}", "NAME": lambda r, g: r.choice(NAMES),
    "OBJ": lambda r, g: r.choice(OBJECTS), "PLACE": lambda r, g: r.choice(PLACES),
    "SHAPE": lambda r, g: r.choice(SHAPES), "MN": lambda r, g: r.choice(MNOUNS),
    "FN": lambda r, g: f"{r.choice(VERBS)}_{r.choice(THINGS)}", "TH": lambda r, g: r.choice(THINGS),
    "DS": lambda r, g: r.choice(DSTRUCT), "CX": lambda r, g: r.choice(COMPLEX),
    "ID": lambda r, g: f"{r.choice(ID_PREFIX)}_{r.choice(THINGS)}",
    "Q": lambda r, g: r.choice(QUANT)[0], "U": lambda r, g: r.choice(QUANT)[1],
    "SUB": lambda r, g: r.choice(SUBSTANCES),
    "TOPIC": lambda r, g: r.choice(TOPICS), "CITY": lambda r, g: r.choice(CITIES), "ADJ": lambda r, g: r.choice(ADJS),
    "ZO": lambda r, g: r.choice(ZH_OBJ), "DAY": lambda r, g: r.choice(DAYS), "MONTH": lambda r, g: r.choice(MONTHS),
}
_SLOT = re.compile(r"\{([A-Z]+)([0-9]?)\}")
_ALT = re.compile(r"\[\[(.*?)\]\]")


def fill(template: str, r: random.Random, preset: dict[str, str] | None = None) -> str:
    """The template with each [[a|b]] resolved and each slot filled; a slot named twice gets one value."""
    values: dict[str, str] = dict(preset or {})

    def get(key: str) -> str:
        if key not in values:
            values[key] = _GEN[key.rstrip("0123456789")](r, get)
        return values[key]
    if "[[" in template:
        template = _ALT.sub(lambda m: r.choice(m.group(1).split("|")), template)
    return _SLOT.sub(lambda m: get(m.group(1) + m.group(2)), template)


# ---- reasoning sentences: an opener and a core ---------------------------------------------------
# An opener is an interjection and a connective (either may be empty): hundreds of sentence starts,
# so the words around a sentence's first slot rarely repeat between two traces.
INTERJECTIONS = ("", "", "", "", "Hmm, ", "Wait, ", "Okay, ", "Right, ", "Well, ", "Oh, ", "Alright, ", "Ah, ",
                 "Hmm, okay, ", "Wait, wait, ", "Yes, ", "Hmm, wait, ", "Okay, good, ", "Huh, ", "Let me think. ",
                 "Good. ", "Fine. ", "Hmm. ", "Interesting. ", "OK. ", "Sure, ", "Now, ")
CONNECTIVES = ("", "", "", "so ", "then ", "now ", "also ", "but ", "and ", "actually, ", "alternatively, ",
               "in that case, ", "similarly, ", "at this point, ", "on the other hand, ", "of course, ", "still, ",
               "hence ", "looking at it again, ", "if I think about it, ", "to be safe, ", "just to be sure, ",
               "more precisely, ", "in particular, ", "at the same time, ", "as a result, ", "by the way, ",
               "put differently, ", "before moving on, ", "for now, ", "with that in mind, ", "next, ", "first, ",
               "clearly, ", "notice that ", "remember that ", "it seems ", "I guess ", "I think ", "maybe ",
               "in any case, ", "either way, ", "meanwhile, ", "otherwise, ", "as expected, ", "surprisingly, ",
               "intuitively, ", "formally, ", "roughly speaking, ", "on second thought, ", "to recap, ")
VERIFY = (
    "let me [[double-check|recheck|verify]] that, [[because|since]] ${A} \\times {B} = {AB}$ [[and not something else|"
    "exactly|as claimed]].",
    "let me [[verify|test|confirm]] [[this step|the step|it]] [[again|once more]] by plugging ${V} = {A}$ back "
    "[[into|in]] "
    "the [[original|first|given]] [[condition|equation|constraint]].",
    "[[that seems|this looks|it seems]] [[right|fine|correct]], but [[let me recheck|I should redo|let me redo]] the "
    "[[arithmetic|sum|addition]]: ${A} + {B} = {APB}$.",
    "I should be [[careful|cautious]] [[here|at this step]], [[since|as]] a sign [[error|slip]] would [[change|shift]] "
    "[[the result|everything|the total]] by {AB}.",
    "let me go back and [[make sure|check that]] I [[did not miss|have not skipped|covered]] the case ${V} = {B}$.",
    "[[this agrees|that matches|this is consistent]] with the [[estimate|guess|bound]] of {M} "
    "[[from before|from earlier|"
    "above]], so [[the approach|the method|this]] is probably [[fine|sound|okay]].",
    "I think I [[made a mistake|slipped|went wrong]] earlier with the factor of {P}, so let me [[redo|recompute|fix]] "
    "[[that part|that|it]].",
    "[[maybe|perhaps]] there is a [[cleaner|shorter|nicer]] way, but this one [[works|is fine]] for the {MN} "
    "[[at hand|here|we have]].",
    "that does not [[look|seem]] right; going back {P} steps, the value should be {APB} [[instead|rather]].",
    "so far [[so good|everything holds]]: the check with {A} and {B} gives the same [[thing|value|result]] "
    "[[both ways|either way|in both orders]].",
    "let me [[recount|count again]], [[since|because]] I may have counted case {P} [[twice|two times]].",
    "I am [[fairly|quite|reasonably]] [[confident|sure]] now, but one more [[sanity check|check]] with ${V} = {P}$ "
    "[[cannot hurt|is cheap|is worth it]].")
CORES = {
    "math": (
        "[[substituting|plugging in|putting]] ${V} = {A}$ [[into|in]] ${F}({V}) = {EX}$ [[gives|yields]] a value "
        "[[we can compare|to compare|comparable]] with {B}.",
        "the {MN} [[here|above]] has {P} terms, and [[each of them|every term|each one]] [[contributes|adds]] at most "
        "{A} to the [[total|sum]].",
        "if we [[multiply|scale]] both sides by {P}, the [[equation|relation]] [[becomes|turns into]] ${EX} = {N}$.",
        "the discriminant is ${B}^2 - 4 \\cdot {P} \\cdot {A}$, which [[tells us|shows]] how many real roots "
        "[[there are|exist|the {MN} has]].",
        "so the [[ratio|fraction|quotient]] [[simplifies|reduces]] to ${FR}$ after [[cancelling|dividing out]] "
        "[[the common factor of|a factor of]] {P}.",
        "we need ${V}$ to be a multiple of {P} [[that is less than|below|smaller than]] {N}.",
        "by [[the AM-GM inequality|AM-GM|the arithmetic-geometric mean inequality]], the [[sum|total]] is at least "
        "${P}\\sqrt{{A}}$ [[whenever|when|as long as]] the terms are positive.",
        "the area of the {SHAPE} is half the base times the height, so [[about|roughly|close to]] {X} square units "
        "[[here|in this case]].",
        "[[counting|listing]] the cases with ${V} \\le {A}$ [[separately|on their own|first]] gives {M} "
        "[[possibilities|options|cases]] [[in that range|there|below {A}]].",
        "the remainder when {N} is divided by {P} is [[what decides|the key to|what settles]] the [[last|final]] step.",
        "expanding $({V} + {A})^2$ gives ${V}^2 + {AB}{V} + \\dots$, which is not [[what we want|the right form|"
        "helpful]].",
        "taking [[logarithms|logs]] of both sides [[turns|converts]] the product into a sum of {P} terms.",
        "the number of ways to [[choose|pick|select]] {P} [[items|elements|objects]] from {A} is "
        "$\\binom{{A}}{{P}}$.",
        "for the {MN} to be [[defined|well defined|meaningful]] we need ${V} > {A}$, so the domain [[starts|begins]] "
        "there.",
        "a quick sketch of the {SHAPE} [[shows|suggests]] that the angle at [[the top|vertex {P}]] must be {A} "
        "degrees.",
        "the recurrence ${F}_{n+1} = {P}{F}_n + {A}$ grows [[roughly|about]] like ${P}^n$.",
        "plugging in the [[smallest|first|simplest]] case, ${V} = 1$, gives {A}, which [[matches|fits]] the "
        "[[pattern|guess|formula]].",
        "since ${V}$ is an integer, the fraction ${FR}$ [[cannot be|is not]] the final [[value|answer]].",
        "the derivative of ${EX}$ [[vanishes|is zero]] at a single point, so there is one critical "
        "[[value|point]].",
        "modulo {P}, the powers of {A} cycle with [[a short period|period {D}]], which saves a lot of "
        "[[work|time|effort]].",
        "the coordinates of the midpoint are the averages, [[namely|that is]] {X} and {M}.",
        "by symmetry, the [[answer|result|count]] for the {SHAPE} should not depend on which vertex we "
        "[[start from|pick|label first]].",
        "the sum of the first {A} odd numbers is ${A}^2$, which is a [[handy|useful|convenient]] identity "
        "[[here|for the {MN}]].",
        "the probability of that event is ${FR}$, because each of the {A} outcomes is equally likely.",
        "dividing {N} by {P} leaves a quotient of [[roughly|about]] {M}, so the bound is not [[tight|sharp]].",
        "the constraint ${V} + {F} = {A}$ removes one degree of freedom from the {MN}.",
        "we can rewrite the {MN} as a telescoping sum, and most of the {M} terms cancel.",
        "the product of the roots equals the constant term over the leading coefficient, [[here|so]] {FR}.",
        "the inequality flips when we divide by a negative number like $-{P}$, so [[careful there|watch out|"
        "that needs care]].",
        "the volume scales with the cube of the side, so [[doubling|scaling]] it [[multiplies|changes]] the volume "
        "by {P}.",
        "testing ${V} = {A}$ and ${V} = {B}$ gives two different results, so the {MN} is not constant.",
        "the greatest common divisor of {N} and {M} must divide their difference, {D}.",
        "by the Pythagorean theorem the hypotenuse squared is ${A}^2 + {B}^2$.",
        "the generating function [[approach|route]] would work, but counting directly with {P} cases is "
        "[[faster|simpler|shorter]]."),
    "code": (
        "a brute force over all {TH} would be ${CX}$, which is too slow when $n$ reaches {N}.",
        "we can keep a {DS} of the {TH} [[seen so far|visited so far|processed]] and update it in "
        "[[constant|amortized constant|logarithmic]] time per {TH2}.",
        "the function `{FN}` should return [[early|right away|immediately]] when the {TH} list is empty.",
        "let me trace the [[example|sample|first test]]: with {A} elements the loop runs {A} times and `{ID}` ends "
        "at {B}.",
        "sorting {TH} first costs ${CX}$ but then a single pass [[over|through]] the {TH2} is enough.",
        "the edge case with a single {TH} needs care, because `{ID}` would never be updated.",
        "using a {DS} keyed by [[the value|each {TH}|the index]] lets us find the [[partner|match|complement]] in "
        "one lookup.",
        "the recursion depth could reach {N}, so an iterative version is [[safer|better|more robust]] in Python.",
        "each of the {TH} is pushed and popped at most once, so the total work is ${CX}$.",
        "I need to handle negative {TH} too, since the constraints allow values down to $-{N}$.",
        "the variable `{ID}` tracks the [[best answer|maximum|running total]] among the {TH} processed "
        "[[so far|up to index {A}]].",
        "an off-by-one error is likely at the [[right|left]] boundary, so the range should go up to {M} "
        "[[inclusive|exclusive]].",
        "memoizing the helper on [[the pair of indices|({V}, {A})|index and count]] brings it down to ${CX}$ states.",
        "with a {DS} the query for the {P}-th [[smallest|largest]] {TH} becomes [[cheap|fast|easy]].",
        "the dynamic programming table has {A} rows and {B} columns for the [[sample input|{TH}]].",
        "reading the input [[line by line|in one go]] with `sys.stdin` avoids the slow default input "
        "[[in Python|for {N} lines]].",
        "the [[answer|count of {TH}]] could overflow in other languages, but Python integers have no fixed size.",
        "for [[the second sample|test {P}|case {A}]], the expected output is {M}, and my trace gives the same "
        "[[number|value]].",
        "two pointers moving inward over the sorted {TH} give ${CX}$ overall.",
        "a binary search over the [[answer|threshold|limit]] works because feasibility is monotone in {ID}.",
        "the helper `{FN}` can be reused for both the [[left and the right halves|two subproblems|{TH} and {TH2}]].",
        "building the adjacency list for {N} nodes and {M} edges is linear in the input size.",
        "the modulus is $10^9 + 7$, so every [[addition|product|update of `{ID}`]] should be reduced right away.",
        "duplicate {TH} in the input mean the {DS} must store counts rather than plain values.",
        "the greedy choice of the earliest finishing {TH} is safe by an exchange argument.",
        "breadth-first search from [[the source|node {A}|the start]] gives the shortest path in an unweighted graph.",
        "the window shrinks from the left whenever the sum exceeds {N}, which keeps `{ID}` valid."),
    "stem": (
        "the {Q} follows from the formula once the units are converted, giving [[about|roughly|close to]] {X} {U}.",
        "conservation of energy says the kinetic energy at the bottom equals $mgh$ at the top, about {X} J.",
        "for {SUB}, the molar mass is about {X} g/mol, which sets the number of moles in {D} g.",
        "the reaction releases heat, so the enthalpy change is negative, roughly $-{M}$ kJ/mol.",
        "doubling the {Q} would double the [[result|{Q2}]] only if the relation were linear.",
        "the measured {Q} of {X} {U} is close to the value [[predicted|expected]] by the [[model|theory|formula]].",
        "the option with the largest {Q} can be ruled out because it [[breaks|violates]] conservation of "
        "[[charge|energy|mass]].",
        "a dimensional check confirms that the expression has units of {U}.",
        "the half-life of {A} minutes means that after {P} half-lives only a tiny fraction [[would remain|is left]].",
        "in the cell, the [[gene|sequence]] is transcribed first and then translated at the ribosome, "
        "[[about|roughly]] {M} codons.",
        "the equilibrium constant is larger than one, so products are favored at {M} K.",
        "Newton's second law gives $F = ma$, so the acceleration is {X} m/s^2 [[here|in this setup]].",
        "the pH of the {SUB} solution should be [[below seven|acidic|around {P}]] [[because|since]] of the "
        "[[ions|protons]] it releases.",
        "the resistance of the wire grows with its length, so the {A} cm one carries less current.",
        "photons with a wavelength of {M} nm carry more energy than those at {N} nm.",
        "the ideal gas law $PV = nRT$ links the pressure to the temperature of {M} K.",
        "one of the choices uses the wrong sign for the {Q}, so it cannot be [[right|correct]].",
        "the enzyme lowers the activation energy but does not change the overall {Q} of {SUB}.",
        "the momentum before the collision is {X} kg m/s, and it must be the same after.",
        "rounding to {P} significant figures gives {X}, which matches one of the choices.",
        "the mitochondria produce most of the ATP, so blocking them would cut the {Q} [[sharply|a lot]].",
        "a catalyst speeds up both directions equally, so the equilibrium of {SUB} does not move.",
        "the slope of the graph between {A} s and {B} s gives the average {Q}.",
        "the field inside a conductor is zero, which rules out [[two|{P}]] of the options at once.",
        "heating {SUB} from {M} K increases the rate roughly by a factor of {P}.",
        "the allele frequency of {X} percent gives the expected share of carriers in {N} people.",
        "friction removes about {X} J, so the final {Q} must be smaller than the initial one.",
        "the units of the answer should be {U}, and only [[two|{P}]] choices have those units."),
    "logic": (
        "if {NAME} is telling the truth, then {NAME2} must be lying about the {OBJ}.",
        "{NAME} cannot sit next to {NAME2}, which removes {A} of the arrangements.",
        "suppose {NAME} took the {OBJ}; then the statement [[made by|from]] {NAME2} becomes false.",
        "there are {A} orderings in total before we apply the constraint about the {PLACE}.",
        "the [[third|second|last]] clue says that {NAME} arrived after {NAME2} but before the person from "
        "the {PLACE}.",
        "so {NAME} has to be in seat {P}, because every other seat leads to a contradiction with {NAME2}.",
        "counting the valid cases one by one gives {A}, and the invalid ones give {B}.",
        "the pattern in the sequence adds {P} each time, so the next term would be {APB}.",
        "if both {NAME} and {NAME2} were liars, the number of truthful people would be {P}.",
        "the statement by {NAME} refers to the {OBJ}, not to the {PLACE}, so it is consistent.",
        "this case contradicts [[the second clue|what {NAME} said|clue {P}]], so we can drop it and keep {A} options.",
        "with {P} people and {A} {OBJ}, at least one person must get two by the pigeonhole principle.",
        "working backwards from the last clue, {NAME} must have started at the {PLACE}.",
        "the parity argument shows that an odd number of swaps, like {A}, cannot restore the order.",
        "{NAME2} said the {OBJ} were in box {P}, which only works if {NAME} is a knave.",
        "a table with {P} rows and {P} columns keeps track of who owns which {OBJ}.",
        "assume {NAME} is a knight; then the claim about {NAME2} and the {OBJ} must hold.",
        "the clue about {CITY} only fits if {NAME2} sits at position {P}.",
        "so {NAME}, {NAME2} and {NAME3} are fixed, and only {P} people remain to place.",
        "two of the clues together force the {OBJ} into the {PLACE}, which settles case {P}.",
        "swapping {NAME} and {NAME2} keeps every clue true, so each case counts twice.",
        "the remaining {A} cases split evenly between the two ends of the row."),
    "general": (
        "the user is asking about {TOPIC}, so a short practical answer is best.",
        "I should mention the budget first, since {NAME} said it is around {N} dollars.",
        "a {ADJ} tone fits here, because the question sounds a bit worried.",
        "maybe I can group the advice into {P} points so it is easy to scan.",
        "it would help to give one concrete example from {CITY} to make it less abstract.",
        "the main risk with {TOPIC} is trying to do too much in the first week.",
        "I should not invent exact statistics, so I will keep the numbers approximate.",
        "they probably want something they can start today rather than a long plan.",
        "a short checklist at the end would make the answer more useful.",
        "the request mentions {P} people, so the suggestions should scale to a small group.",
        "I want to keep it under {M} words so it stays readable on a phone.",
        "there is a safety aspect to {TOPIC} that is worth a brief note.",
        "{NAME} might already know the basics, so I can skip the definitions.",
        "a common mistake is buying gear before knowing what is needed, which wastes about {N} dollars.",
        "the order matters: preparation first, then practice, then a review after {P} weeks.",
        "I could compare two options, one cheap and one more {ADJ}, and let them choose.",
        "it is worth asking whether {CITY} has a club or a class for this.",
        "the tone should be encouraging without promising results in {P} days.",
        "a table might be overkill; {P} short bullet points will do.",
        "if the schedule is tight, the plan should fit into {D} minutes a day.",
        "I will end with one question back, so they can say what matters most to them.",
        "the second part of the request, about the budget, needs a separate paragraph."),
}
_START = ("[[Okay, |Alright, |OK, |Hmm, |Right, |So |Well, |Okay, so |Alright, so |Let's see, |Let me see, "
          "|Hmm, okay, ]]")
FIRST = {
    "math": (_START + "[[I need to|we have to|the task is to|I want to]] [[find|compute|work out|pin down]] the "
             "[[value|number|quantity]] [[asked for|in question|they want]], and the {MN} [[looks like|seems to be|is "
             "probably]] the [[key|main piece|crux]].",
             _START + "[[this problem|the question|this one]] [[is about|involves|revolves around]] a {MN}, and "
             "[[I need to|I should|I have to]] [[watch|be careful with|respect]] the [[constraint|condition|bound]] "
             "on ${V}$.",
             _START + "[[let me|I'll|I will]] [[try to |]][[figure this out|work through this|untangle this]] "
             "[[step by step|carefully|slowly]], [[starting with|beginning with|first looking at]] the {MN} and "
             "[[the number|the value]] {N}."),
    "code": (_START + "[[I need to|the task is to|we must]] [[write|implement|code up]] `{FN}`, which "
             "[[works on|processes|takes]] a list of {TH}.",
             _START + "[[the task is|the job is|I'm asked]] to [[implement|write|build]] `{FN}`, and the input "
             "[[can have|may contain|has]] up to {N} {TH}.",
             _START + "[[let me|I'll]] [[think about|figure out|work out]] how to [[solve|approach|attack]] this; "
             "the [[naive|obvious|brute-force]] [[approach|way|idea]] is ${CX}$ over the {TH}."),
    "stem": (_START + "[[this question|the problem|this item]] [[is about|concerns|asks about]] the {Q} of a "
             "[[system|sample|setup]], [[measured|given|expressed]] in {U}.",
             _START + "[[I need to|I have to|we should]] [[pick|choose|select]] the [[right|correct|best]] "
             "[[option|choice|answer]], and the [[key|main|central]] quantity is the {Q}.",
             _START + "[[this looks like|this seems to be|this is]] a [[problem|question]] about {SUB}, so "
             "[[let me|I should|I'll]] [[recall|review|list]] the [[basic|relevant|key]] [[facts|ideas|relations]]."),
    "logic": (_START + "[[there are|we have|the puzzle has]] [[several|a few|{P}]] [[people|characters|friends]], "
              "[[including|among them|like]] {NAME} and {NAME2}, [[and some|plus a few|with several]] "
              "[[clues|statements|constraints]].",
              _START + "[[this is|this looks like|it's]] a puzzle about [[who has|who owns|who took]] which {OBJ}, "
              "and [[I need to|I must|I should]] [[use|apply|check]] every [[clue|statement]].",
              _START + "[[let me|I'll|I should]] [[list|write down|collect]] the [[constraints|clues|facts]] first, "
              "[[starting with|beginning with]] [[what|the claim]] {NAME} [[said|made|stated]]."),
    "general": (_START + "[[the user|they|{NAME}]] [[wants|would like|is asking for]] [[help|advice|ideas]] "
                "[[with|on|about]] {TOPIC}.",
                _START + "[[this is|here is|I have]] a [[question|request]] about {TOPIC} [[from|by]] {NAME}, "
                "[[who wants|who needs|and they want]] {ADJ} [[advice|guidance|pointers]]."),
}
ANSWER_LEADS = {
    "math": ("To summarize, we reduce the {MN} step by step and check the result with ${V} = {A}$.",
             "The key steps are the substitution and the check of the edge case ${V} = {B}$."),
    "logic": ("Checking each clue in turn leaves exactly one consistent arrangement of the {OBJ}.",
              "Every case except one contradicts a clue, which fixes the count."),
    "stem": ("The {Q} computed from the given data points to a single option.",
             "Only one choice is consistent with the units of {U} and the order of magnitude."),
    "code": ("The solution below runs in ${CX}$ time using a {DS}.",
             "This approach handles the edge cases and runs in ${CX}$."),
}
BOXED = {"math": ("Therefore, the final answer is $\\boxed{{{}}}$.", "So the answer is $\\boxed{{{}}}$.",
                  "Hence the answer is $\\boxed{{{}}}$."),
         "stem": ("The answer is \\boxed{{{}}}.",)}
BOXED["logic"] = BOXED["math"]
GENERAL_ANSWER = (
    "A good first step with {TOPIC} is to set aside about {P} hours a week and keep a simple log.",
    "Start small: pick {P} things you can do this week, and add more only when those feel easy.",
    "If you are in {CITY}, local groups and libraries often run free sessions on this.",
    "Keep the budget flexible, since costs can vary by {A} percent depending on the season.",
    "It also helps to ask a friend like {NAME} to join you, so you stay motivated.",
    "Finally, review what worked after a month and adjust the plan rather than starting over.",
    "Try to write down one {ADJ} goal, because a vague goal is hard to measure.",
    "Most people find the second week the hardest, so plan something easy for it.")
FOREIGN = {
    "zh": ("我们先把方程两边同时乘以{A}，这样可以消去分母。", "这里需要注意，当变量大于{A}的时候，函数是单调递增的。",
           "等一下，我再检查一遍刚才的计算，{A}乘以{B}应该等于{AB}。",
           "所以这个结果看起来是合理的，我们可以继续下一步。",
           "换一种思路，也许可以先考虑特殊情况，比如变量等于{A}的时候。", "根据题目给出的条件，两个数的和是{APB}。",
           "这样一来，原来的问题就转化成了一个更简单的问题。", "我觉得这里可能有问题，需要重新整理一下思路。",
           "把这个值代入原来的式子，左边和右边正好相等。", "因此我们只需要讨论剩下的{A}种情况就可以了。",
           "首先，我们观察到这个数列的每一项都比前一项大{A}。", "假设一共有{N}个{ZO}，每次取出{A}个{ZO}。",
           "如果用暴力的方法，时间复杂度会太高，所以需要更好的办法。", "最后，我们把所有的情况加起来，一共有{N}种。",
           "为了保险起见，我再用另一种方法验证一下这个{ZO}的数量。", "可以看出，每增加一个{ZO}，总数就会增加{P}倍。"),
    "fr": ("Attendez, je dois vérifier encore une fois ce calcul avant de continuer avec les {A} cas.",
           "Donc, si on remplace la valeur {A} dans l'équation, on obtient bien le même résultat.",
           "Il faut maintenant considérer le cas où le nombre est plus grand que {A}.",
           "Je pense que cette méthode est correcte, mais elle est un peu longue pour {N} éléments.",
           "Reprenons depuis le début pour être sûr de ne rien oublier dans les {P} étapes.",
           "Alors, la somme des deux premiers termes est égale à {APB}, ce qui semble raisonnable.",
           "Cela signifie que nous devons compter seulement les solutions positives inférieures à {N}.",
           "Essayons une autre approche, peut-être plus simple que la précédente."),
    "es": ("Espera, tengo que comprobar otra vez este cálculo antes de seguir con los {A} casos.",
           "Entonces, si sustituimos el valor {A} en la ecuación, obtenemos el mismo resultado.",
           "Ahora hay que considerar el caso en que el número es mayor que {A}.",
           "Creo que este método es correcto, pero es un poco largo para {N} elementos.",
           "Volvamos al principio para asegurarnos de que no olvidamos nada en los {P} pasos.",
           "Así que la suma de los dos primeros términos es igual a {APB}, lo cual parece razonable.",
           "Esto significa que solo debemos contar las soluciones positivas menores que {N}.",
           "Intentemos otro enfoque, quizás más sencillo que el anterior."),
    "de": ("Moment, ich muss diese Rechnung noch einmal überprüfen, bevor ich mit den {A} Fällen weitermache.",
           "Wenn wir also den Wert {A} in die Gleichung einsetzen, erhalten wir dasselbe Ergebnis.",
           "Jetzt müssen wir den Fall betrachten, in dem die Zahl größer als {A} ist.",
           "Ich glaube, dass diese Methode richtig ist, aber sie ist für {N} Elemente ziemlich lang.",
           "Fangen wir noch einmal von vorne an, damit wir in den {P} Schritten nichts vergessen.",
           "Die Summe der ersten beiden Glieder ist also gleich {APB}, was vernünftig aussieht.",
           "Das bedeutet, dass wir nur die positiven Lösungen kleiner als {N} zählen müssen.",
           "Versuchen wir einen anderen Ansatz, vielleicht ist er einfacher als der vorherige."),
}
CODE_DRAFT = ("```python\ndef {FN}(nums):\n    {ID} = 0\n    for i in range(len(nums)):\n"
              "        {ID} += nums[i] % {P}\n"
              "    return {ID}\n```",
              "```python\nseen = {}\nfor i, x in enumerate(nums):\n    if {A} - x in seen:\n"
              "        return [seen[{A} - x], i]\n"
              "    seen[x] = i\n```",
              "```python\nleft, {ID} = 0, 0\nfor right in range(n):\n    while window_sum > {N}:\n        left += 1\n"
              "    {ID} = max({ID}, right - left + 1)\n```")


def sentence(domain: str, r: random.Random) -> str:
    """One reasoning sentence of ``domain``: an opener and a core (a verification core now and then)."""
    cores = CORES[domain]
    core = r.choice(VERIFY) if domain != "general" and r.random() < 0.15 else r.choice(cores)
    text = f"{r.choice(INTERJECTIONS)}{r.choice(CONNECTIVES)}{fill(core, r)}"
    i = text.find(". ") + 2 if text.find(". ") in range(0, 16) else 0  # "Good. so" -> "Good. So"
    text = text[:i] + text[i].upper() + text[i + 1:]
    return text[0].upper() + text[1:]


def pool(templates: tuple[str, ...], r: random.Random, n: int) -> list[str]:
    """``n`` distinct fillings of the templates (fewer when the templates cannot give that many)."""
    out: dict[str, None] = {}
    for _ in range(n * 3):
        out.setdefault(fill(r.choice(templates), r))
        if len(out) >= n:
            break
    return list(out)


def reasoning_pool(domain: str, r: random.Random, n: int) -> list[str]:
    out: dict[str, None] = {}
    while len(out) < n:
        out.setdefault(sentence(domain, r))
    return list(out)


# ---- gold answers -------------------------------------------------------------------------------
def math_answer(r: random.Random) -> tuple[str, list[str]]:
    """A gold answer in LaTeX and three wrong ones (different values, same form)."""
    kind = r.random()
    if kind < 0.55:
        g = r.randint(-20, 999)
        return str(g), [str(g + d) for d in (1, -1, r.randint(2, 9))]
    if kind < 0.75:
        f = Fraction(r.randint(1, 60), r.randint(2, 97))
        while f.denominator == 1:
            f = Fraction(r.randint(1, 60), r.randint(2, 97))
        wrong = [f + Fraction(1, f.denominator), f * 2, f + 1]
        return _frac(f), [_frac(w) if w.denominator > 1 else str(w) for w in wrong]
    if kind < 0.9:
        c, d = r.randint(1, 9), r.choice((2, 3, 5, 6, 7, 10, 11))
        def surd(k: int) -> str:
            return f"{'' if k == 1 else k}\\sqrt{{{d}}}"
        return surd(c), [surd(c + 1), surd(c + 2), surd(c + 3)]
    lo, hi = r.randint(-9, 9), r.randint(10, 40)
    left, right = r.choice("[("), r.choice("])")
    return f"{left}{lo}, {hi}{right}", [f"{left}{lo}, {hi + k}{right}" for k in (1, 2, 3)]


def _frac(f: Fraction) -> str:
    return f"\\frac{{{f.numerator}}}{{{f.denominator}}}"


# ---- prompts -------------------------------------------------------------------------------------
PROMPT_PARTS = {
    "math": ("[[Let|Define|Suppose]] ${F}(x) = {EX}$ [[for|on|over]] [[all real|positive|integer]] $x$ "
             "[[above|greater than|exceeding]] {W}.",
             "A {SHAPE} [[has|is drawn with]] sides {W}, {W2} [[and|plus]] {W3} [[units|cm|inches]] "
             "[[on|inside|across]] a {M}-point grid.",
             "{NAME} [[writes|lists|prints]] the integers {W} [[to|through]] {N} [[on|at]] the {PLACE} "
             "[[and erases|then crosses out|and removes]] every {PP}th [[one|number|entry]].",
             "[[The|A]] sequence $a_1, a_2, \\dots$ [[satisfies|obeys]] $a_{k+1} = {PP}a_k + {W}$ "
             "[[with|where]] $a_1 = {W2}$ [[and|while]] $a_{{D}} < {N}$.",
             "[[A bag|A box|An urn]] [[holds|contains]] {W} red [[and|plus]] {W2} blue {OBJ}; {NAME} "
             "[[draws|takes|picks]] {PP} [[without looking|at random|blindly]].",
             "[[Consider|Take|Look at]] [[positive|odd|even]] integers ${V} < {N}$ [[whose|with]] digits "
             "[[add up to|sum to|totaling]] {D}.",
             "{NAME} [[and|together with]] {NAME2} [[split|share|divide]] {N} {OBJ}, [[one|the first]] getting "
             "{PP} [[more than|beyond]] {KK} times [[the other|what {NAME2} gets]].",
             "Points $A$ [[and|plus]] $B$ [[lie|are]] {W} [[units|cm]] apart; [[a circle|an arc]] of radius {W2} "
             "[[passes through|contains]] [[both|each]].",
             "[[A train|A bus|A ferry]] [[leaves|departs]] the {PLACE} at {W} km/h [[while|as]] {NAME} "
             "[[cycles|walks|drives]] at {D} km/h [[toward|to]] {CITY}.",
             "[[Exactly|Precisely]] {PP} of ${F}({W})$, ${F}({W2})$ [[and|plus]] ${F}({W3})$ [[are|turn out]] "
             "[[prime|even|negative]]."),
    "math_q": ("[[Find|Compute|Determine]] [[the value|this number|the quantity]] [[exactly|in simplest form]].",
               "What [[is|equals]] [[the exact value|the result|that quantity]]?"),
    "logic": ("{NAME}, {NAME2}, {NAME3} [[and|plus]] {NAME4} [[each own|each hold]] [[one|a single]] "
              "[[of|among]] {PP} [[different|distinct]] {OBJ}.",
              "[[On|At]] [[an island|a fair|the {PLACE}]], {NAME} [[says|claims]] {NAME2} [[is|is a]] "
              "[[knave|liar]], [[and|while]] {NAME3} [[says|insists]] {NAME} [[tells the truth|is honest]].",
              "{NAME} [[sits|stands]] [[left of|beside]] {NAME2}; [[someone|the visitor]] from {CITY} "
              "[[is|sits]] at [[one end|an end]].",
              "[[Exactly|Precisely]] {KK} [[of|among]] {PP} [[statements|claims]] [[made|heard]] at the {PLACE} "
              "[[are true|hold]].",
              "{NAME4} [[arrived|came]] [[after|later than]] {NAME3} [[but|yet]] [[before|earlier than]] {NAME}, "
              "[[who|and]] [[came|traveled]] from {CITY}.",
              "[[Each|Every one]] of {W} {OBJ} [[gets|is painted]] one of {KK} [[colors|shades]]; "
              "[[no|not one pair of]] neighbors [[share|match]].",
              "{NAME2} [[claims|says]] [[the|all]] {OBJ} [[are|sit]] in box {PP}, [[but|while]] {NAME3} "
              "[[denies|rejects]] box {KK}."),
    "logic_q": ("How many [[arrangements|assignments|orderings]] [[fit|satisfy]] [[every|each]] [[clue|rule]]?",
                "[[Count|Find]] the [[valid|consistent]] [[cases|configurations]]."),
    "stem": ("[[A sample|Some|A portion]] of {SUB} [[with|having]] {Q} {X} {U} [[sits|is kept]] [[sealed|in a flask]] "
             "at {M} K.",
             "[[A cart|A block|A sled]] of {D} kg [[moves|slides]] at {X} m/s [[toward|to]] [[a wall|a spring]] "
             "{W} m [[away|ahead]] [[in|near]] {CITY}.",
             "[[An experiment|A trial|A probe]] [[measures|records]] {Q} {X} {U} [[after|following]] {PP} "
             "[[minutes|hours]] [[of heating|of cooling]] {OBJ}.",
             "[[A wire|A coil|A rod]] {W} cm [[long|in length]] [[carries|has]] [[current|charge]] [[while|as]] "
             "{Q} [[changes|shifts]] by {X} {U}.",
             "[[A student|A technician|{NAME}]] [[in|at]] the {PLACE} [[dissolves|mixes]] {D} g {SUB} [[in|into]] "
             "{M} mL water."),
    "stem_q": ("Which [[option|choice|value]] [[is closest to|best matches]] the [[resulting|final|measured]] {Q}?",),
    "code": ("[[Write|Implement|Create]] `{FN}(nums)` [[taking|for]] [[up to|at most]] {N} [[integers|values]].",
             "[[Each|Every one]] of {TH} [[weighs|has weight]] [[between|from]] $-{M}$ [[and|to]] {M}; "
             "[[there are|expect]] {PP} [[test cases|tests]].",
             "[[Return|Output|Print]] [[how many|the count of]] {TH} [[have sums|sum to values]] divisible by {PP}, "
             "[[or|else]] $-{KK}$.",
             "[[For example|E.g.|As an example]], {TH} [[[{W}, {W2}, {W3}, {D}]|({W}, {W2}, {W3})]] "
             "[[gives|should return|yields]] {KK}.",
             "[[Aim for|Target|Stay within]] ${CX}$ [[time|steps]] [[and|using]] {M} MB [[memory|of RAM]].",
             "[[Two|A pair of]] {TH} [[are adjacent|touch]] when [[indices|positions]] differ by {PP}, "
             "[[like|as in]] [[case|test]] {W}.",
             "[[Read|Parse]] [[stdin|the input]]: {PP} [[lines|rows]], [[first|then]] $n \\le {N}$, [[then|next]] "
             "{TH}."),
    "general": ("[[I'm|My name is|This is]] {NAME}, [[wanting|looking for|after]] {ADJ} [[advice|tips|ideas]] "
                "[[about|on|regarding]] {TOPIC}.",
                "[[I live|I'm based|I stay]] in {CITY} [[and can spend|with a budget of|and have]] {N} "
                "[[dollars|euros]] [[over|across|within]] {PP} [[weeks|months]].",
                "[[My friend|My cousin|A coworker]] {NAME2} [[tried|attempted|did]] {TOPIC} [[at|near]] the {PLACE} "
                "[[and found it|and said it was]] [[hard|tiring|fun|costly]].",
                "[[Could you|Can you|Would you]] [[give|list|suggest]] {KK} [[concrete|{ADJ}|specific]] "
                "[[steps|suggestions|options]] [[and rank them|in order|with priorities]]?",
                "[[I have|There are|I get]] [[roughly|about|maybe]] {D} [[free hours|spare hours]] on "
                "{DAY} [[besides|apart from]] {NAME3}'s [[schedule|plans]].",
                "[[Keep it|Make it|Please be]] {ADJ} [[since|because|as]] [[I read|I'll read|I check]] "
                "[[on my phone|between classes|on the bus]] at the {PLACE}.",
                "[[Last year|In {CITY}|Back in {M}]], {NAME4} [[recommended|mentioned|suggested]] {TOPIC} "
                "[[to|for]] {D} [[of us|friends|coworkers]].",
                "[[What|Which]] [[mistakes|pitfalls|problems]] [[should|might|could]] [[a beginner|someone new|I]] "
                "[[avoid|watch for]] [[early on|at first|in week {PP}]]?",
                "[[On|Every|Most]] {DAY} [[I|we]] [[have|get|keep]] {D} [[minutes|spare minutes]] [[after|before]] "
                "[[work|school|practice]] [[near|by]] the {PLACE}.",
                "{NAME3} [[thinks|says|believes]] {TOPIC} [[costs|needs]] {M} [[dollars|euros|hours]], [[but|yet]] "
                "{NAME4} [[disagrees|doubts it|is unsure]].",
                "[[The goal|My aim|The plan]] [[is|was]] [[to finish|to be ready|to start]] [[by|before]] {MONTH} "
                "[[with|alongside]] {NAME2} [[and|plus]] {KK} [[others|friends|neighbors]].",
                "[[Is it|Would it be]] [[realistic|sensible|wise]] to [[combine|mix|pair]] {TOPIC} [[with|and]] "
                "{TOPIC2} [[in|during]] {MONTH}?",
                "[[A|One]] {ADJ} [[summary|overview|outline]] [[first|up front]], [[then|and then]] "
                "[[details|specifics]] "
                "[[for|about]] the {PLACE} [[part|side]], [[please|thanks]].",
                "[[We are|There are]] {KK} [[adults|people|of us]] [[and|plus]] {PP} [[kids|teenagers|dogs]] "
                "[[in|around]] {CITY}, [[sharing|splitting]] {N} [[dollars|euros]].",
                "[[Previously|Before]], [[I tried|we tried]] {TOPIC2} [[for|over]] {D} [[days|weeks]] [[and|but]] "
                "[[quit|stopped|gave up]] [[around|near]] {MONTH}."),
}


def _compose(parts: tuple[str, ...], question: str | None, r: random.Random, preset: dict | None = None) -> str:
    """Random parts until the prompt has 40-120 words (a question ends it when given)."""
    chosen: list[str] = []
    words, target = 0, r.randint(42, 90)
    for part in r.sample(parts, len(parts)):
        text = fill(part, r, preset)
        chosen.append(text)
        words += len(re.findall(r"[^\W_]+", text))
        if words >= target:
            break
    if question:
        chosen.append(fill(question, r))
    return " ".join(chosen)


def make_prompt(domain: str, r: random.Random) -> dict:
    """problem, gold (LaTeX / letter / None), wrong answers, and for code a correct and a buggy solution."""
    parts = PROMPT_PARTS[domain]
    if domain in ("math", "logic"):
        problem = _compose(parts, r.choice(PROMPT_PARTS[domain + "_q"]), r)
        gold, wrongs = math_answer(r) if domain == "math" else _logic_answer(r)
        return {"problem": problem, "gold": gold, "wrongs": wrongs}
    if domain == "stem":
        quantity, unit = r.choice(QUANT)
        problem = _compose(parts, r.choice(PROMPT_PARTS["stem_q"]).replace("{Q}", quantity), r)
        values = r.sample(range(11, 999), 4)
        options = "\n".join(f"({'ABCD'[i]}) {v / 10:.1f} {unit}" for i, v in enumerate(values))
        gold = r.choice("ABCD")
        return {"problem": f"{problem}\n{options}", "gold": gold, "wrongs": [c for c in "ABCD" if c != gold]}
    if domain == "code":
        name = fill("{FN}", r)
        problem = f"{fill(parts[0], r, {'FN': name})} {_compose(parts[1:], None, r)}"
        return {"problem": problem, "gold": None, "wrongs": [], **_code_solutions(name, r)}
    return {"problem": _compose(parts, None, r), "gold": None, "wrongs": []}


def _logic_answer(r: random.Random) -> tuple[str, list[str]]:
    g = r.randint(0, 120)
    return str(g), [str(g + 1), str(g + 2), str(max(g - 1, 0) if g else 3)]


def _code_solutions(name: str, r: random.Random) -> dict:
    acc = fill("{ID}", r)
    p = r.randint(2, 12)
    good = (f"def {name}(nums):\n    {acc} = 0\n    counts = {{0: 1}}\n    prefix = 0\n    for x in nums:\n"
            f"        prefix = (prefix + x) % {p}\n        {acc} += counts.get(prefix, 0)\n"
            f"        counts[prefix] = counts.get(prefix, 0) + 1\n    return {acc} if {acc} else -1\n")
    return {"solution": good, "buggy": good.replace("counts = {0: 1}", "counts = {}")}


# ---- pools with token counts ----------------------------------------------------------------------
@dataclass
class Pool:
    text: list[str]
    tokens: np.ndarray  # model tokens of " " + text
    words: np.ndarray  # words as the readability check counts them (CJK per character)
    counted: np.ndarray  # natural-language words as language consistency counts them (estimated)

    def __post_init__(self) -> None:
        self.mean_tokens = float(self.tokens.mean())
        self.tokens_per_word = float(self.tokens.sum() / max(1, self.words.sum()))
        self.mean_weight = {"tokens": self.mean_tokens, "counted": float(self.counted.mean())}


@dataclass
class Pools:
    reasoning: dict[str, Pool]
    first: dict[str, Pool]
    leads: dict[str, Pool]
    boxed: dict[str, Pool]  # templates with one {} for the value
    foreign: dict[str, Pool]
    drafts: Pool
    general_answer: Pool
    const: dict[str, int]  # tokens of the fixed separators
    method: str
    chars_per_token: float


class TokenCounter:
    """SmolLM2's tokenizer when the embedded model is prepared, else 4 characters per token."""

    def __init__(self) -> None:
        self.method, self.ratio, self._tok = "chars_per_token", 4.0, None
        try:
            from evals import embedded

            if embedded.is_ready() and importlib.util.find_spec("transformers"):
                from tokenizers import Tokenizer

                self._tok = Tokenizer.from_file(str(embedded.model_dir() / "tokenizer.json"))
                self.method = "smollm2_tokenizer"
        except Exception:  # a broken optional install falls back to the ratio
            self._tok = None

    def __call__(self, texts: list[str]) -> np.ndarray:
        if self._tok is None:
            return np.array([max(1, round(len(t) / self.ratio)) for t in texts], np.int32)
        return np.array([len(e.ids) for e in self._tok.encode_batch(texts, add_special_tokens=False)], np.int32)


def _pool(texts: list[str], count: TokenCounter) -> Pool:
    from evals.verifiers.text_tokens import count_tokens, word_count

    w = np.array([word_count(t) for t in texts], np.int32)
    probe = texts[:: max(1, len(texts) // 300)]  # counting is slow: estimate its ratio to words
    ratio = sum(count_tokens(t).counted for t in probe) / max(1, sum(word_count(t) for t in probe))
    return Pool(texts, count([" " + t for t in texts]), w, w * ratio)


POOL_SIZES = {"math": 30000, "code": 30000, "stem": 15000, "logic": 15000, "general": 12000}


@lru_cache(maxsize=2)
def build_pools(seed: int) -> Pools:
    r, count = random.Random(f"{seed}/pools"), TokenCounter()
    reasoning = {d: _pool(reasoning_pool(d, r, n), count) for d, n in POOL_SIZES.items()}
    first = {d: _pool(pool(t, r, 2000), count) for d, t in FIRST.items()}
    leads = {d: _pool(pool(t, r, 2000), count) for d, t in ANSWER_LEADS.items()}
    boxed = {d: _pool(list(t), count) for d, t in BOXED.items()}
    foreign = {lang: _pool(pool(t, r, 3000), count) for lang, t in FOREIGN.items()}
    const = dict(zip(("open", "close", "para", "fence"),
                     count(["<think>\n", "\n</think>\n\n", "\n\n", "```python\n```\n\n"]).tolist()))
    text = "".join(reasoning["math"].text[:2000])
    cpt = 4.0 if count.method != "smollm2_tokenizer" else len(text) / int(count([text])[0])
    return Pools(reasoning, first, leads, boxed, foreign, _pool(pool(CODE_DRAFT, r, 3000), count),
                 _pool(pool(GENERAL_ANSWER, r, 6000), count), const, count.method, round(cpt, 3))


# ---- traces -------------------------------------------------------------------------------------
def _draw(p: Pool, by: str, budget: float, rng: np.random.Generator) -> np.ndarray:
    """Pool indices whose ``by`` weights (tokens or counted words) first reach ``budget``; never the
    same sentence twice in a row."""
    n, weights = len(p.text), getattr(p, by)
    idx = rng.integers(0, n, int(budget / max(p.mean_weight[by], 1e-9) * 1.2) + 4)
    while True:
        same = np.flatnonzero(idx[1:] == idx[:-1]) + 1
        if not len(same):
            cum = np.cumsum(weights[idx])
            if cum[-1] >= budget:
                return idx[: int(np.searchsorted(cum, budget)) + 1]
            idx = np.concatenate([idx, rng.integers(0, n, len(idx) // 2 + 4)])
        idx[same] = (idx[same] + 1) % n


def _paragraphs(p: Pool, idx: np.ndarray, rng: np.random.Generator, lo: int = 65, hi: int = 180) -> list[str]:
    """Sentences joined into paragraphs: a break after the sentence that crosses each random word
    target, targets 65-180 words apart, so paragraphs hold about 30-250 words."""
    sents = itemgetter(*idx.tolist())(p.text) if len(idx) > 1 else (p.text[int(idx[0])],)
    cw = np.cumsum(p.words[idx])
    targets = np.cumsum(rng.integers(lo, hi, int(cw[-1]) // lo + 1))
    ends = np.searchsorted(cw, targets[targets < cw[-1]]) + 1
    ends = [e for e in ends.tolist() if cw[-1] - cw[e - 1] >= 30] + [len(sents)]
    return [" ".join(sents[a:b]) for a, b in zip([0] + ends[:-1], ends) if b > a]


def _pick(p: Pool, rng: np.random.Generator) -> tuple[str, int]:
    i = int(rng.integers(len(p.text)))
    return p.text[i], int(p.tokens[i])


def _answer(P: Pools, prompt: dict, wrong: bool, length: int, rng: np.random.Generator) -> tuple[str, int, str]:
    d, para = prompt["domain"], P.const["para"]
    if d == "general":
        idx = _draw(P.general_answer, "tokens", min(max(60, 0.4 * length), 1200), rng)
        paras = _paragraphs(P.general_answer, idx, rng)
        return "\n\n".join(paras), int(P.general_answer.tokens[idx].sum()) + para * (len(paras) - 1), ""
    lead, lead_tok = _pick(P.leads[d], rng)
    if d == "code":
        sol, sol_tok = (prompt["buggy"], prompt["bug_tok"]) if wrong else (prompt["solution"], prompt["sol_tok"])
        return f"```python\n{sol}```\n\n{lead}", P.const["fence"] + sol_tok + lead_tok, "imported_correct=false"
    j = int(rng.integers(len(prompt["wrongs"])))
    value, vtok = (prompt["wrongs"][j], prompt["wrong_tok"][j]) if wrong else (prompt["gold"], prompt["gold_tok"])
    box, box_tok = _pick(P.boxed[d], rng)
    return f"{lead}\n\n{box.format(value)}", lead_tok + para + box_tok + vtok, f"boxed {value}; gold {prompt['gold']}"


def _loop(p: Pool, budget: int, para: int, rng: np.random.Generator) -> tuple[list[str], int, str]:
    """A unit of 1-3 sentences (20-150 tokens) repeated 6-20 times, a few copies per paragraph."""
    while True:
        k = int(rng.integers(1, 4))
        start = int(rng.integers(0, len(p.text) - k))
        unit_tok = int(p.tokens[start:start + k].sum())
        if 20 <= unit_tok <= 150:
            break
    repeats = max(6, min(int(rng.integers(6, 21)), int(0.6 * budget) // unit_tok))
    unit = " ".join(p.text[start:start + k])
    per_para = max(1, 180 // max(1, int(p.words[start:start + k].sum())))
    paras = [" ".join([unit] * min(per_para, repeats - i)) for i in range(0, repeats, per_para)]
    return paras, unit_tok * repeats + para * len(paras), f"unit_tokens={unit_tok} repeats={repeats}"


def _insert(paras: list[str], extra: list[str], rng: np.random.Generator) -> list[str]:
    """``extra`` paragraphs placed at random positions after the first paragraph, in order."""
    at = np.sort(rng.integers(1, len(paras) + 1, len(extra)))
    out, last = [], 0
    for pos, text in zip(at.tolist(), extra):
        out += paras[last:pos] + [text]
        last = pos
    return out + paras[last:]


def build_sample(P: Pools, prompt: dict, defect: int, length: int, rng: np.random.Generator) -> tuple[str, int, str]:
    """(completion, completion tokens, label detail) for one planned sample."""
    d, para = prompt["domain"], P.const["para"]
    truncated = defect == TRUNCATED
    answer, a_tok, detail = ("", 0, "") if truncated else _answer(P, prompt, defect == WRONG, length, rng)
    first, tokens = _pick(P.first[d], rng)
    tokens += P.const["open"] + a_tok + (0 if truncated else P.const["close"])
    budget = length - tokens - (150 if truncated else 0)  # a cut sample stays under the length limit
    tail: list[str] = []
    if defect == LOOP:
        tail, loop_tok, detail = _loop(P.reasoning[d], budget, para, rng)
        budget, tokens = budget - loop_tok, tokens + loop_tok
    drafts = [] if d != "code" or budget < 1000 else _draw(P.drafts, "tokens", 0.1 * budget, rng)
    budget -= int(P.drafts.tokens[drafts].sum()) if len(drafts) else 0
    share = rng.uniform(0.25, 0.4) if defect == MIXED else 0.0
    pool = P.reasoning[d]
    # leave room for the paragraph breaks (one token per ~122 words) and the last sentence's overshoot
    breaks = para / (122 * pool.tokens_per_word)
    idx = _draw(pool, "tokens", max(budget * (1 - share) * (1 - breaks) - pool.mean_tokens / 2, 1), rng)
    paras = _paragraphs(pool, idx, rng)
    paras[0] = f"{first} {paras[0]}"
    tokens += int(pool.tokens[idx].sum()) + para * (len(paras) - 1)
    if len(drafts):
        paras = _insert(paras, [P.drafts.text[i] for i in drafts], rng)
        tokens += int(P.drafts.tokens[drafts].sum()) + para * len(drafts)
    if share:
        lang = ("zh", "zh", "zh", "zh", "zh", "zh", "fr", "es", "de")[int(rng.integers(9))]  # mostly Chinese
        fp = P.foreign[lang]
        need = share / (1 - share) * float(pool.counted[idx].sum())
        fidx = _draw(fp, "counted", need, rng)
        fparas = _paragraphs(fp, fidx, rng, 40, 120)
        paras, detail = _insert(paras, fparas, rng), lang
        tokens += int(fp.tokens[fidx].sum()) + para * len(fparas)
    if truncated:
        last = pool.text[idx[-1]]
        cut = max(1, last.rfind(" ", 1, int(len(last) * rng.uniform(0.3, 0.8))))
        paras[-1] = paras[-1][: len(paras[-1]) - len(last) + cut]
        tokens -= int(pool.tokens[idx[-1]]) - round(int(pool.tokens[idx[-1]]) * cut / len(last))
        detail = f"cut at {tokens} tokens"
    if tokens > MAX_TOKENS and not truncated:  # a finished sample cannot be longer than the generation limit
        return build_sample(P, prompt, defect, int(length * 0.8), rng)
    reasoning = "\n\n".join(paras + tail)
    if truncated:
        return f"<think>\n{reasoning}", tokens, detail
    return f"<think>\n{reasoning}\n</think>\n\n{answer}", tokens, detail
