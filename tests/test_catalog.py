"""The German catalog is complete and in step with the code: every message the code
wraps is in it, translated (not empty, not fuzzy), with the same placeholders; and it
ships in the package, so a plain `pip install` speaks German."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
GERMAN = ROOT / "shiptui" / "locale" / "de" / "LC_MESSAGES" / "shiptui.po"
# {name} for str.format, $name / ${name} for the email and URL templates.
_PLACEHOLDER = re.compile(r"\{[a-z_]+(?:![rs])?\}|\$\{?[a-z_]+\}?|\$\$")


def _key(message_id, context) -> tuple:
    return (context, message_id if isinstance(message_id, str) else tuple(message_id))


def german_catalog():
    with GERMAN.open("rb") as po:
        return read_po(po)


def extracted_messages() -> set[tuple]:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {
        _key(message, context)
        for _file, _line, message, _comments, context in extract_from_dir(str(ROOT), method_map, options_map)
    }


def test_every_message_in_the_code_is_in_the_catalog_and_nothing_else_is():
    in_catalog = {_key(message.id, message.context) for message in german_catalog() if message.id}
    in_code = extracted_messages()
    assert in_code, "no message found: is babel.cfg right?"
    assert in_code - in_catalog == set(), "new messages: run `make messages` and translate them"
    assert in_catalog - in_code == set(), "messages no longer in the code: run `make messages`"


def test_every_message_has_a_german_translation_that_keeps_its_placeholders():
    for message in german_catalog():
        if not message.id:
            continue
        assert not message.fuzzy, f"fuzzy: {message.id!r}"
        singulars = message.id if isinstance(message.id, tuple) else (message.id,)
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(translations), f"not translated: {message.id!r}"
        wanted = sorted(_PLACEHOLDER.findall(singulars[-1]))
        for text in translations:
            assert sorted(_PLACEHOLDER.findall(text)) == wanted, f"placeholders differ: {message.id!r}"


@pytest.mark.slow
def test_a_built_wheel_speaks_german_with_no_build_step(tmp_path):
    """What `pip install` gets: the wheel, unpacked and imported as it is, has German."""
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True, text=True, timeout=300,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("shiptui-*.whl")
    installed = tmp_path / "site-packages"
    zipfile.ZipFile(wheel).extractall(installed)
    probe = (
        f"import sys; sys.path.insert(0, {str(installed)!r}); import shiptui.i18n as i18n; "
        "print(i18n.__file__); print(i18n._('Track Item'))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "SHIPTUI_LANG": "de"})
    assert result.returncode == 0, result.stderr
    where, words = result.stdout.splitlines()
    assert where.startswith(str(installed)) and words == "Sendeverfolgung"
