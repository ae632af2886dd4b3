"""`.env` and env_file reading against Compose's own parser tests.

The cases of `test_reads_as_compose_does` are compose-go's (github.com/compose-spec/compose-go,
dotenv/godotenv_test.go and dotenv/fixtures, commit e70e961c3a3acebf0800b882f1afb3dbf1fb74a2),
translated from Go string literals: what `docker compose` makes of each line is what devenv must.
The tests after them hold what mutation testing found unheld (docs/testing.md, 3 December,
evening); each case was checked against compose-go's dotenv/parser.go and template/template.go
at that commit, built and run on the same input.
"""

from __future__ import annotations

import pytest

from devenv.errors import ManifestError
from devenv.manifest.dotenv import example_values, read_dotenv, syntax_problem
from devenv.manifest.interpolation import interpolate


def case_id(value: object) -> str | None:
    """A test ID without backslashes or control characters: mutmut's runner cannot find a test
    again by an ID that holds one (docs/testing.md), and pytest escapes them with a backslash.
    Not a string: pytest's own ID."""
    if not isinstance(value, str):
        return None
    names = {"\\": "(backslash)", "\n": "(newline)", "\t": "(tab)"}
    return "".join(names.get(c) or (c if c.isascii() and c.isprintable() else f"(U+{ord(c):04X})") for c in value)


COMPOSE_CASES = [
    ("FOO=bar", "FOO", "bar"),
    ("FOO =bar", "FOO", "bar"),
    ("FOO= bar", "FOO", "bar"),
    ('FOO="bar"', "FOO", "bar"),
    ("FOO='bar'", "FOO", "bar"),
    (r'FOO="escaped\"bar"', "FOO", 'escaped"bar'),
    (r'FOO="\"quoted\""', "FOO", '"quoted"'),
    ("FOO=\"'d'\"", "FOO", "'d'"),
    ("OPTION_A: 1", "OPTION_A", "1"),
    ("OPTION_A: Foo=bar", "OPTION_A", "Foo=bar"),
    ("OPTION_A=1:B", "OPTION_A", "1:B"),
    ("export OPTION_A=2", "OPTION_A", "2"),
    (r"export OPTION_B='\n'", "OPTION_B", "\\n"),
    ("export exportFoo=2", "exportFoo", "2"),
    ("exportFOO=2", "exportFOO", "2"),
    ("export_FOO =2", "export_FOO", "2"),
    ("export.FOO= 2", "export.FOO", "2"),
    ("export\tOPTION_A=2", "OPTION_A", "2"),
    ("  export OPTION_A=2", "OPTION_A", "2"),
    ("\texport OPTION_A=2", "OPTION_A", "2"),
    ('export OPTION_A="export A"', "OPTION_A", "export A"),
    (r'FOO="bar\nbaz"', "FOO", "bar\nbaz"),
    (r"FOO=a\tb", "FOO", r"a\tb"),
    (r'FOO="a\tb"', "FOO", "a\tb"),
    (r'KEY="Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\Z\0123Z"', "KEY", "Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ"),
    ("FOO.BAR=foobar", "FOO.BAR", "foobar"),
    ("FOO=foobar=", "FOO", "foobar="),
    ("FOO=bar ", "FOO", "bar"),
    ("FOO=bar # this is foo", "FOO", "bar"),
    ("FOO=bar #this is foo", "FOO", "bar"),
    ("FOO=bar #", "FOO", "bar"),
    ("FOO=123#not-an-inline-comment", "FOO", "123#not-an-inline-comment"),
    ('FOO="bar#baz"', "FOO", "bar#baz"),
    ('FOO="bar#baz"#', "FOO", "bar#baz"),
    ('FOO="bar#baz" # comment', "FOO", "bar#baz"),
    ("FOO='bar#baz' # comment", "FOO", "bar#baz"),
    ('FOO="bar#baz#bang" # comment', "FOO", "bar#baz#bang"),
    (r'FOO="bar\n\ b\az"', "FOO", "bar\n\\ b\az"),
    (r'FOO="bar\\\n\ b\az"', "FOO", "bar\\\n\\ b\az"),
    (r'FOO="bar\\r\ b\az"', "FOO", "bar\\r\\ b\az"),
    (r'FOO="bar\nbaz\\"', "FOO", "bar\nbaz\\"),
    (" KEY =value", "KEY", "value"),
    ("   KEY=value", "KEY", "value"),
    ("\tKEY=value", "KEY", "value"),
    (r'KEY="\0123"', "KEY", "S"),
    (r'KEY="\x07"', "KEY", r"\x07"),
    (r'KEY="\u12e4"', "KEY", r"\u12e4"),
    # TestExpanding
    ("FOO=test\nBAR=$FOO", "BAR", "test"),
    ("FOO=test\nBAR=${FOO}bar", "BAR", "testbar"),
    ("BAR=$FOO", "BAR", ""),
    ('FOO=test\nBAR="quote $FOO"', "BAR", "quote test"),
    ("BAR='quote $FOO'", "BAR", "quote $FOO"),
    (r'FOO="foo\$BAR"', "FOO", "foo$BAR"),
    (r'FOO="foo\${BAR}"', "FOO", "foo${BAR}"),
    ('FOO=test\nBAR="foo\\${FOO} ${FOO}"', "BAR", "foo${FOO} test"),
    # TestVariableStringValueSeparator: a double-quoted value over two lines
    ('TEST_URLS="stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443"', "TEST_URLS",
     "stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443"),
    # fixtures/quoted.env
    ("OPTION_J = 'first line\nsecond line\nthird line\nand so on'", "OPTION_J",
     "first line\nsecond line\nthird line\nand so on"),
    ("OPTION_K='Let\\'s go!'", "OPTION_K", "Let's go!"),
    ("OPTION_I = \"echo 'asd'\" # Inline comment", "OPTION_I", "echo 'asd'"),
    # fixtures/plain.env and special.env
    ("456 = ABC", "456", "ABC"),
    ("OPTION_F = ", "OPTION_F", ""),
    ("VAR-WITH-DASHES=dashes", "VAR-WITH-DASHES", "dashes"),
    ("OPTION_H = my string # Inline comment", "OPTION_H", "my string"),
]


@pytest.mark.parametrize(("text", "key", "value"), COMPOSE_CASES, ids=[case_id(c[0][:40]) for c in COMPOSE_CASES])
def test_reads_as_compose_does(tmp_path, text, key, value):
    (tmp_path / ".env").write_text(text)
    assert read_dotenv(tmp_path / ".env", {})[key] == value


@pytest.mark.parametrize("text", [r'KEY="', r'KEY="value', 'KEY="value\\"', "KEY=\"value'", "KEY='", "KEY='value",
                                  "KEY='value\\'", "KEY='value\""],
                         ids=case_id)
def test_an_unterminated_quote_is_refused_at_its_line(tmp_path, text):
    (tmp_path / ".env").write_text("A=1\n\n" + text + "\nB=2\n")
    with pytest.raises(ManifestError) as info:
        read_dotenv(tmp_path / ".env", {})
    problem = info.value.problems[0]
    assert problem.line == 3 and "never closed" in str(problem)


@pytest.mark.parametrize(("text", "line", "words"), [
    ("# some comments\nfoo=\"\n  a\n  multine\n  value\n\"\nINVALID LINE\nzot=qix", 7, "cannot contain a space"),
    ("lol$wut", 1, "'$' cannot be part of a key"),
    ("=value", 1, "names no variable"),
    ("A=1\nB=${NOPE:?set it}\n", 2, "set it"),
    ('A="a\\0000b"', 1, "NUL"),
], ids=case_id)
def test_bad_statements_are_refused_at_their_line(tmp_path, text, line, words):
    (tmp_path / ".env").write_text(text)
    with pytest.raises(ManifestError) as info:
        read_dotenv(tmp_path / ".env", {})
    assert info.value.problems[0].line == line and words in str(info.value.problems[0])


@pytest.mark.parametrize(("text", "values"), [('B="x" y\n', {"B": "x", "y": "Y"}), ("A='x'y=1\n", {"A": "x", "y": "1"}),
                                              ('B="x"#c\nC=2\n', {"B": "x", "C": "2"})], ids=case_id)
def test_what_follows_a_closing_quote_is_the_next_statement_as_in_compose(tmp_path, text, values):
    # compose-go reads on after the quote: a comment, or a statement of its own (a bare key here).
    (tmp_path / ".env").write_text(text)
    assert read_dotenv(tmp_path / ".env", {"y": "Y"}) == values


def test_a_multiline_private_key_keeps_its_lines(tmp_path):
    """The reason multi-line values matter: keys and certificates pasted into `.env`."""
    key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\nkqhkiG9w0BAQEF\n-----END PRIVATE KEY-----"
    (tmp_path / ".env").write_text(f'JWT_KEY="{key}"\nNEXT=1\n')
    assert read_dotenv(tmp_path / ".env", {}) == {"JWT_KEY": key, "NEXT": "1"}


def test_a_bare_key_takes_the_environments_value_or_is_left_out(tmp_path):
    (tmp_path / ".env").write_text("TOKEN\nMISSING\nexport OTHER\nA=1\n")
    assert read_dotenv(tmp_path / ".env", {"TOKEN": "t0", "OTHER": "o"}) == {"TOKEN": "t0", "OTHER": "o", "A": "1"}


def test_crlf_lines_read_as_lf(tmp_path):
    (tmp_path / ".env").write_bytes(b'A=1\r\nB="two"\r\nC=three # c\r\n')
    assert read_dotenv(tmp_path / ".env", {}) == {"A": "1", "B": "two", "C": "three"}


def test_a_substituted_value_is_not_read_again(tmp_path):
    (tmp_path / ".env").write_text("B=$A\nC=${A:+set}|${NOPE:+set}|${E:+set}|${E+set}\n")
    assert read_dotenv(tmp_path / ".env", {"A": "$$x${Y}", "E": ""}) == {"B": "$$x${Y}", "C": "set|||set"}


# Not among compose-go's cases; compose-go reads each as written here.
MORE_CASES = [
    ("A=Xmas", "A", "Xmas"),  # an unquoted value may start with any letter: only ' and " open a quote
    ("A=a # b # c", "A", "a"),  # the value ends at the first ` #`
    ("A=x\x1c", "A", "x\x1c"),  # Go's unicode.IsSpace (its trim) is false for \x1c-\x1f; Python's strip trims them
    ("A=x\x1f # c", "A", "x\x1f"),
    ('A="one\\\ntwo"\nB=2', "A", "one\\\ntwo"),  # a backslash before a newline is kept, with the newline
]


@pytest.mark.parametrize(("text", "key", "value"), MORE_CASES, ids=[case_id(c[0]) for c in MORE_CASES])
def test_reads_as_compose_does_beyond_its_own_cases(tmp_path, text, key, value):
    (tmp_path / ".env").write_text(text)
    assert read_dotenv(tmp_path / ".env", {})[key] == value


@pytest.mark.parametrize("text", ['A=1\nKEY="value\\', 'A=1\nKEY="value\\"', "A=1\nKEY='value\\"], ids=case_id)
def test_a_quote_left_open_by_a_backslash_at_the_very_end_of_the_file_is_refused(tmp_path, text):
    # No newline after the backslash: it is the file's last character (or escapes its last quote).
    (tmp_path / ".env").write_text(text)
    with pytest.raises(ManifestError) as info:
        read_dotenv(tmp_path / ".env", {})
    problem = info.value.problems[0]
    assert problem.line == 2 and "never closed" in str(problem)


def test_an_escaped_newline_inside_quotes_counts_as_a_line(tmp_path):
    (tmp_path / ".env").write_text('A="one\\\ntwo"\nB=${NOPE:?needed}\n')
    with pytest.raises(ManifestError) as info:
        read_dotenv(tmp_path / ".env", {})
    assert info.value.problems[0].line == 3


def test_a_blank_compose_does_not_trim_from_a_key_is_refused(tmp_path):
    # compose-go trims only \t \v \f \r, space, U+0085 and U+00A0 from a key (an ideographic
    # space before `=` is "unexpected character"), where Python's strip() trims more.
    (tmp_path / ".env").write_text("A\u3000=1")
    with pytest.raises(ManifestError) as info:
        read_dotenv(tmp_path / ".env", {})
    assert info.value.problems[0].line == 1


@pytest.mark.parametrize(("text", "message"), [
    ("A=1\nlol$wut=2\n", ".env:2: 'lol$wut=2' is not KEY=VALUE ('$' cannot be part of a key)"),
    ("A=1\nB='never closed\n", ".env:2: the quoted value \"'never closed\" is never closed (a ' is missing)"),
    ('A=1\nB="a\\0000b"\n', ".env:2: holds a NUL character, which no process environment can carry"),
], ids=["key", "quote", "nul"])
def test_a_bad_statement_below_the_first_line_is_quoted_whole(tmp_path, monkeypatch, text, message):
    monkeypatch.chdir(tmp_path)  # the file is named as the user sees it from here
    (tmp_path / ".env").write_text(text)
    with pytest.raises(ManifestError) as info:
        read_dotenv(tmp_path / ".env", {})
    assert [str(p) for p in info.value.problems] == [message]


def test_an_empty_reference_is_no_variable_not_an_unclosed_one():
    # Compose: `Invalid template: "${}"`.
    with pytest.raises(ValueError) as info:
        interpolate("${}", {})
    assert str(info.value) == "${} is not a variable reference"


@pytest.mark.parametrize(("op", "environ"), [(":-", {}), (":+", {"V": "1"})])
def test_defaults_and_replacements_nest_as_deep_as_the_limit_and_no_deeper(op, environ):
    # devenv's own guard (Compose has none): MAX_NESTING levels read, one more is an error.
    from devenv.manifest.interpolation import MAX_NESTING

    def nested(levels: int) -> str:
        return f"${{V{op}" * levels + "x" + "}" * levels

    assert interpolate(nested(MAX_NESTING), environ) == "x"
    with pytest.raises(ValueError, match=f"nested more than {MAX_NESTING} deep"):
        interpolate(nested(MAX_NESTING + 1), environ)


def test_syntax_problem_names_the_first_statement_devenv_refuses_without_reading_variables():
    assert syntax_problem("A=1\nlol$wut=2\nB='x\n") == (2, "'lol$wut=2' is not KEY=VALUE ('$' cannot be part of a key)")
    assert syntax_problem("A=${NOPE:?x}\nB=$NOPE\n") is None


def test_example_values_read_the_grammar_leniently_line_by_line():
    # What `devenv init` takes from an example env file it does not own: quotes and escapes are
    # read, variables are not expanded, bare keys and lines that are not statements are skipped.
    text = 'A=1\nnot a statement\nTOKEN\nB="x\\ty"\nexport C=\'$D\\n\'\nE=${F} # comment\nK="never closed\nG=2\n'
    assert example_values(text) == [(1, "A", "1"), (4, "B", "x\ty"), (5, "C", "$D\\n"), (6, "E", "${F}"), (8, "G", "2")]
    assert example_values("A=1\nnot a statement") == [(1, "A", "1")]  # the last line, without a newline
