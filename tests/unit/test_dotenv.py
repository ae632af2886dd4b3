"""`.env` and env_file reading against Compose's own parser tests.

The cases of `test_reads_as_compose_does` are compose-go's (github.com/compose-spec/compose-go,
dotenv/godotenv_test.go and dotenv/fixtures, commit e70e961c3a3acebf0800b882f1afb3dbf1fb74a2),
translated from Go string literals: what `docker compose` makes of each line is what devenv must.
"""

from __future__ import annotations

import pytest

from devenv.errors import ManifestError
from devenv.manifest.dotenv import read_dotenv

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


@pytest.mark.parametrize(("text", "key", "value"), COMPOSE_CASES, ids=[c[0][:40] for c in COMPOSE_CASES])
def test_reads_as_compose_does(tmp_path, text, key, value):
    (tmp_path / ".env").write_text(text)
    assert read_dotenv(tmp_path / ".env", {})[key] == value


@pytest.mark.parametrize("text", [r'KEY="', r'KEY="value', 'KEY="value\\"', "KEY=\"value'", "KEY='", "KEY='value",
                                  "KEY='value\\'", "KEY='value\""])
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
])
def test_bad_statements_are_refused_at_their_line(tmp_path, text, line, words):
    (tmp_path / ".env").write_text(text)
    with pytest.raises(ManifestError) as info:
        read_dotenv(tmp_path / ".env", {})
    assert info.value.problems[0].line == line and words in str(info.value.problems[0])


@pytest.mark.parametrize(("text", "values"), [('B="x" y\n', {"B": "x", "y": "Y"}), ("A='x'y=1\n", {"A": "x", "y": "1"}),
                                              ('B="x"#c\nC=2\n', {"B": "x", "C": "2"})])
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
