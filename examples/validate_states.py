#!/usr/bin/env python3
"""Check that a JSON document uses only states the CAVRA canon defines.

An example of CAVRA's own code reading the canon instead of re-declaring its
states by hand. It needs nothing but the Python standard library and the
export of mdbook-cavra:

    mdbook-cavra export > canon.json
    python3 examples/validate_states.py canon.json document.json

Every vocabulary in the export lists its ``fields``: the keys whose values
must be terms of that vocabulary (``subscription_state``, ``decision``,
``evidence.level``, ...). This script walks the document and checks the value
of every such key, a string or a list of strings, against the vocabulary's
``terms``. A dotted field matches a key under its parent keys
(``{"evidence": {"level": "signed"}}``). A field with ``only_with`` belongs to
its vocabulary only when the document's text also contains that text (a bare
``mode`` key is everyone's). Fields spelled as command-line options
(``--policy-mode``) are for commands, not documents, and are skipped.

Each bad value is printed as ``FILE: PATH: `VALUE` is not a defined LABEL`` with a
suggestion: the term that replaces a retired spelling (``deny`` -> ``block``),
else the closest term. Exit status: 0 when every value is defined, 1 when one
is not, 2 when the files cannot be read or the export has another
``schema_version``.
"""

import difflib
import json
import sys

SCHEMA_VERSION = "mdbook-cavra.canon.v1"


def load_fields(canon, document_text):
    """Map each field key to the vocabulary whose terms its values must be."""
    if canon.get("schema_version") != SCHEMA_VERSION:
        raise ValueError(
            "expected an export with schema_version %r, got %r"
            % (SCHEMA_VERSION, canon.get("schema_version"))
        )
    fields = {}
    for vocabulary in canon["vocabularies"]:
        for field in vocabulary["fields"]:
            key = field["key"]
            if key.startswith("--"):
                continue
            only_with = field["only_with"]
            if only_with is not None and only_with not in document_text:
                continue
            fields[key] = vocabulary
    return fields


def suggestion(vocabulary, value):
    """The term to write instead of ``value``, or None."""
    for other in vocabulary["other_spellings"]:
        if other["spelling"] == value:
            return other["term"]
    names = [term["name"] for term in vocabulary["terms"]]
    close = difflib.get_close_matches(value, names, n=1, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(value.lower(), names, n=1, cutoff=0.6)
    return close[0] if close else None


def check(node, fields, path=()):
    """Yield (path, value, vocabulary) for every undefined state in ``node``."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = path + (key,)
            # The longest dotted suffix of the key path that is a field.
            vocabulary = None
            for start in range(len(here)):
                vocabulary = fields.get(".".join(here[start:]))
                if vocabulary is not None:
                    break
            if vocabulary is not None:
                values = value if isinstance(value, list) else [value]
                terms = {term["name"] for term in vocabulary["terms"]}
                for i, v in enumerate(values):
                    if isinstance(v, str) and v not in terms:
                        where = here + ((str(i),) if isinstance(value, list) else ())
                        yield where, v, vocabulary
            else:
                yield from check(value, fields, here)
    elif isinstance(node, list):
        for i, item in enumerate(node):
            yield from check(item, fields, path + (str(i),))


def main(argv):
    if len(argv) != 3:
        print("usage: validate_states.py CANON_JSON DOCUMENT_JSON", file=sys.stderr)
        return 2
    try:
        with open(argv[1], encoding="utf-8") as f:
            canon = json.load(f)
        with open(argv[2], encoding="utf-8") as f:
            text = f.read()
        document = json.loads(text)
        fields = load_fields(canon, text)
    except (OSError, ValueError, KeyError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 2
    bad = 0
    for path, value, vocabulary in check(document, fields):
        bad += 1
        message = "%s: %s: `%s` is not a defined %s" % (
            argv[2],
            ".".join(path),
            value,
            vocabulary["label"],
        )
        better = suggestion(vocabulary, value)
        if better is not None:
            message += "; did you mean `%s`?" % better
        print(message)
    if bad:
        print("%d undefined state(s)" % bad, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
