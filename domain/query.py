"""The watch-profile query language: a tokenizer and a recursive-descent parser to a typed syntax tree.

    "thi hành án" AND (cưỡng chế OR kê biên) NOT "hình sự"
    title:"phá sản" OR (doanh nghiệp NEAR/5 "giải thể")
    outlet:vnexpress province:"Thanh Hoa" =Hóa exact:"thỏa thuận" thi*

Words and "phrases" match diacritic- and tone-mark-insensitively (hành = hanh = hảnh); `=word`, `="phrase"` or
`exact:` match the marks exactly (but not case, nor the tone placement convention: hoà = hòa). AND, OR, NOT are
upper case; adjacent items are joined by AND; `-word` is NOT word. Precedence: NEAR > NOT > AND > OR.
`a NEAR/n b`: both within n words of each other (at most n words between them), in either order; NEAR alone is
NEAR/10. `thi*` is a prefix. Fields: `title:` (headline only), `outlet:` (the outlet's slug, name or domain),
`province:` (one of the 34 units, by any of its names, with or without diacritics), `exact:`; a field applies to
the word, phrase or (group) after it.

A bad query raises `ParseError`: its `str()` is a Vietnamese sentence for users naming the 1-based character
position (`position`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from enum import StrEnum

from domain.provinces import FORMER, PROVINCES, SPELLINGS
from domain.text import WORD, fold_diacritics, normalize_vietnamese

DEFAULT_NEAR = 10
MAX_NEAR = 100
MIN_PREFIX = 2
FIELDS = ("title", "outlet", "province", "exact")
_QUOTES = {'"': '"', "“": "”", "”": "”", "„": "”"}
_STOP = set('()"“”„') | {" ", "\t", "\n", "\r", "\u00a0"}


class ParseError(ValueError):
    """A query that cannot be read; `str()` is the users' Vietnamese message with the 1-based position."""

    def __init__(self, message: str, position: int) -> None:
        self.message = message
        self.position = position
        super().__init__(message)


class Scope(StrEnum):
    """Where words are looked for."""

    ANY = "any"  # headline, lead and body
    TITLE = "title"  # headline only


@dataclass(frozen=True, slots=True)
class Word:
    exact: str  # normalised (NFC, one tone convention), lower case
    folded: str  # without diacritics
    prefix: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Term:
    """A word or a phrase (consecutive words)."""

    words: tuple[Word, ...]
    scope: Scope = Scope.ANY
    exact: bool = False
    position: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class Near:
    left: Term
    right: Term
    distance: int


@dataclass(frozen=True, slots=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletIs:
    """The article's outlet (slug, name or domain) contains these words."""

    words: tuple[str, ...]  # folded
    position: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class ProvinceIs:
    """The article concerns this unit: its enrichment says so, or (not enriched) it names the unit."""

    province: str  # one of domain.provinces.PROVINCES
    position: int = 0


Node = Term | Near | And | Or | Not | OutletIs | ProvinceIs


def _province_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_diacritics(name))


def province_names(province: str) -> tuple[str, ...]:
    """Every name the press uses for a unit: current, spellings, former provinces merged into it."""
    return (province, *SPELLINGS.get(province, ()), *FORMER.get(province, ()))


_PROVINCE_BY_KEY = {_province_key(n): p for p in PROVINCES for n in province_names(p)} | {
    _province_key(n.removeprefix("TP. ").removeprefix("Thành phố ")): p for p in PROVINCES for n in province_names(p)
}


def resolve_province(value: str) -> str | None:
    """The unit named by `value` (any of its names, with or without diacritics, spaces or punctuation)."""
    return _PROVINCE_BY_KEY.get(_province_key(value))


# --- tokens ---------------------------------------------------------------------------------------------------


class Kind(StrEnum):
    LPAREN = "("
    RPAREN = ")"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    MINUS = "-"
    NEAR = "NEAR"
    FIELD = "field"
    EXACT = "="
    PHRASE = "phrase"
    WORD = "word"
    END = "end"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    text: str
    position: int  # 1-based
    number: int = 0  # NEAR/n


_NEAR = re.compile(r"NEAR(?:/(\S*))?")
_FIELD = re.compile(r"([^\W\d_]+):")


def tokenize(query: str) -> list[Token]:
    """The tokens of `query`, ending with END; an unclosed quote or a bad NEAR/n raises ParseError."""
    tokens: list[Token] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c in "()":
            tokens.append(Token(Kind.LPAREN if c == "(" else Kind.RPAREN, c, i + 1))
            i += 1
        elif c in _QUOTES:
            end = query.find(_QUOTES[c], i + 1)
            if end < 0 and c == '"':
                end = query.find("”", i + 1)
            if end < 0:
                raise ParseError(f"Dấu ngoặc kép chưa đóng (mở ở vị trí {i + 1})", i + 1)
            tokens.append(Token(Kind.PHRASE, query[i + 1 : end], i + 1))
            i = end + 1
        elif c in "-=" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] != ")":
            tokens.append(Token(Kind.MINUS if c == "-" else Kind.EXACT, c, i + 1))
            i += 1
        elif c in "-=":
            name = "dấu trừ" if c == "-" else "dấu ="
            raise ParseError(f"Thiếu từ sau {name} ở vị trí {i + 1}", i + 1)
        else:
            j = i
            while j < n and query[j] not in _STOP and not query[j].isspace():
                j += 1
            j = max(j, i + 1)
            text = query[i:j]
            field = _FIELD.match(text)
            if text in ("AND", "OR", "NOT"):
                tokens.append(Token(Kind(text), text, i + 1))
            elif near := _NEAR.fullmatch(text):
                tokens.append(Token(Kind.NEAR, text, i + 1, _near_distance(near[1], i + 1)))
            elif field is not None:
                name = field[1].lower()
                if name not in FIELDS:
                    raise ParseError(
                        f"Trường “{field[1]}” không được hỗ trợ ở vị trí {i + 1} "
                        "(chỉ có title:, outlet:, province:, exact:)",
                        i + 1,
                    )
                tokens.append(Token(Kind.FIELD, name, i + 1))
                j = i + field.end()
            else:
                tokens.append(Token(Kind.WORD, text, i + 1))
            i = j
    tokens.append(Token(Kind.END, "", n + 1))
    return tokens


def _near_distance(raw: str | None, position: int) -> int:
    if raw is None:
        return DEFAULT_NEAR
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_NEAR:
        raise ParseError(
            f"Khoảng cách sau NEAR/ phải là số từ 1 đến {MAX_NEAR} ở vị trí {position}",
            position,
        )
    return int(raw)


# --- parser ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    field: str = "any"  # any | title | outlet | province
    exact: bool = False


_STARTS = {Kind.LPAREN, Kind.NOT, Kind.MINUS, Kind.FIELD, Kind.EXACT, Kind.PHRASE, Kind.WORD}
_OPERATOR_NAMES = {Kind.AND: "AND", Kind.OR: "OR", Kind.NOT: "NOT", Kind.MINUS: "dấu trừ", Kind.NEAR: "NEAR"}


class _Parser:
    def __init__(self, query: str) -> None:
        self.tokens = tokenize(query)
        self.at = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def kind(self) -> Kind:
        """The next token's kind (a call, so that type checkers do not narrow it across `take`)."""
        return self.tokens[self.at].kind

    def take(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node:
        if self.kind() is Kind.END:
            raise ParseError("Truy vấn rỗng", 1)
        node = self.parse_or(_Context())
        if self.kind() is Kind.RPAREN:
            raise ParseError(f"Dấu ngoặc đóng thừa ở vị trí {self.token.position}", self.token.position)
        if self.kind() is not Kind.END:  # pragma: no cover - every other token starts an operand
            raise ParseError(f"Không hiểu “{self.token.text}” ở vị trí {self.token.position}", self.token.position)
        return node

    def operand_after(self, operator: Token) -> None:
        """The token after a binary or prefix operator must start an operand."""
        if self.kind() not in _STARTS:
            name = _OPERATOR_NAMES.get(operator.kind, operator.text)
            raise ParseError(f"Thiếu từ sau {name} ở vị trí {operator.position}", operator.position)

    def parse_or(self, ctx: _Context) -> Node:
        items = [self.parse_and(ctx)]
        while self.kind() is Kind.OR:
            operator = self.take()
            self.operand_after(operator)
            items.append(self.parse_and(ctx))
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self, ctx: _Context) -> Node:
        if self.kind() in (Kind.AND, Kind.OR, Kind.NEAR):
            name = _OPERATOR_NAMES[self.kind()]
            raise ParseError(f"Thiếu từ trước {name} ở vị trí {self.token.position}", self.token.position)
        items = [self.parse_unary(ctx)]
        while True:
            if self.kind() is Kind.AND:
                operator = self.take()
                self.operand_after(operator)
            elif self.kind() not in _STARTS:
                break
            items.append(self.parse_unary(ctx))
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_unary(self, ctx: _Context) -> Node:
        if self.kind() in (Kind.NOT, Kind.MINUS):
            operator = self.take()
            self.operand_after(operator)
            return Not(self.parse_unary(ctx))
        return self.parse_near(ctx)

    def parse_near(self, ctx: _Context) -> Node:
        left = self.parse_primary(ctx)
        if self.kind() is not Kind.NEAR:
            return left
        operator = self.take()
        self.operand_after(operator)
        right = self.parse_primary(ctx)
        if not isinstance(left, Term) or not isinstance(right, Term) or self.kind() is Kind.NEAR:
            raise ParseError(
                f"NEAR chỉ nối hai từ hoặc cụm từ (vị trí {operator.position})",
                operator.position,
            )
        return Near(left=left, right=right, distance=operator.number)

    def parse_primary(self, ctx: _Context) -> Node:
        token = self.take()
        if token.kind is Kind.LPAREN:
            if self.kind() is Kind.RPAREN:
                raise ParseError(f"Cặp ngoặc rỗng ở vị trí {token.position}", token.position)
            node = self.parse_or(ctx)
            if self.kind() is not Kind.RPAREN:
                where = self.token.position
                raise ParseError(f"Thiếu dấu ngoặc đóng ở vị trí {where} (ngoặc mở ở vị trí {token.position})", where)
            self.take()
            return node
        if token.kind is Kind.FIELD:
            return self.parse_field(token, ctx)
        if token.kind is Kind.EXACT:
            if self.kind() not in (Kind.WORD, Kind.PHRASE, Kind.LPAREN):
                raise ParseError(f"Thiếu từ sau dấu = ở vị trí {token.position}", token.position)
            return self.parse_primary(replace(ctx, exact=True))
        if token.kind in (Kind.WORD, Kind.PHRASE):
            return self.leaf(token, ctx)
        if token.kind is Kind.RPAREN:
            raise ParseError(f"Dấu ngoặc đóng thừa ở vị trí {token.position}", token.position)
        raise ParseError(f"Thiếu từ ở vị trí {token.position}", token.position)  # pragma: no cover

    def parse_field(self, token: Token, ctx: _Context) -> Node:
        if self.kind() not in (Kind.WORD, Kind.PHRASE, Kind.LPAREN, Kind.EXACT, Kind.FIELD):
            raise ParseError(f"Thiếu giá trị sau {token.text}: ở vị trí {token.position}", token.position)
        if token.text == "exact":
            return self.parse_primary(replace(ctx, exact=True))
        if ctx.field != "any" and ctx.field != token.text:
            raise ParseError(
                f"Không thể đặt {token.text}: bên trong {ctx.field}: (vị trí {token.position})",
                token.position,
            )
        return self.parse_primary(replace(ctx, field=token.text))

    def leaf(self, token: Token, ctx: _Context) -> Node:
        text = token.text
        if ctx.field in ("outlet", "province"):
            if "*" in text or ctx.exact:
                raise ParseError(
                    f"{ctx.field}: chỉ nhận một tên, không có * hay = (vị trí {token.position})",
                    token.position,
                )
            if ctx.field == "province":
                province = resolve_province(text)
                if province is None:
                    raise ParseError(f"Không có tỉnh, thành phố “{text}” (vị trí {token.position})", token.position)
                return ProvinceIs(province=province, position=token.position)
            words = tuple(WORD.findall(fold_diacritics(text)))
            if not words:
                raise ParseError(f"Thiếu tên cơ quan báo chí ở vị trí {token.position}", token.position)
            return OutletIs(words=words, position=token.position)
        return Term(
            words=_words(text, token),
            scope=Scope.TITLE if ctx.field == "title" else Scope.ANY,
            exact=ctx.exact,
            position=token.position,
        )


def _words(text: str, token: Token) -> tuple[Word, ...]:
    """The words of a term or phrase; `*` only at the end of a word, after at least MIN_PREFIX letters."""
    exact = normalize_vietnamese(text).lower()
    words: list[Word] = []
    for match in WORD.finditer(exact):
        starred = exact[match.end() : match.end() + 1] == "*"
        if starred and len(match[0]) < MIN_PREFIX:
            where = token.position + (1 if token.kind is Kind.PHRASE else 0) + match.end()
            raise ParseError(f"Tiền tố trước * cần ít nhất {MIN_PREFIX} chữ (vị trí {where})", where)
        words.append(Word(match[0], fold_diacritics(match[0]), starred))
    stray = [m.start() for m in re.finditer(r"\*", exact) if not (m.start() and WORD.match(exact[m.start() - 1]))]
    if stray:
        where = token.position + (1 if token.kind is Kind.PHRASE else 0) + stray[0]
        raise ParseError(f"Dấu * chỉ đặt ngay sau một từ (vị trí {where})", where)
    if not words:
        what = "Cụm từ rỗng" if token.kind is Kind.PHRASE and not text.strip() else f"Không có chữ nào trong “{text}”"
        raise ParseError(f"{what} ở vị trí {token.position}", token.position)
    return tuple(words)


def parse_query(query: str) -> Node:
    """The syntax tree of `query`; raises ParseError (Vietnamese, with the position) if it cannot be read."""
    return _Parser(query).parse()
