"""Files that are not policies: one-line InputError (CLI exit 2), quickly, never a hang or traceback."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from candor.errors import InputError
from declared import extract_policy
from tests.declared.pdfmaker import make_pdf

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" + os.urandom(64)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


HOSTILE = {
    "empty.txt": b"",
    "blank.txt": b" \n\t\n   \n",
    "image.png": PNG,
    "photo.txt": b"\xff\xd8\xff\xe0\x00\x10JFIF" + os.urandom(2000),  # a JPEG named .txt
    "random.bin": os.urandom(20000),
    "nul.txt": b"\x00\x01\x02\x03" * 5000,
    "archive.docx": b"",  # replaced below by a zip without word/document.xml
    "english_noise.txt": b"lorem ipsum dolor sit amet " * 200,
    "scanned.pdf": b"",  # replaced below by a PDF without a text layer
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_not_a_policy_is_one_line_input_error(tmp_path: Path, name: str) -> None:
    data = HOSTILE[name]
    if name == "archive.docx":
        path = tmp_path / name
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "not a document")
    elif name == "scanned.pdf":
        path = _write(tmp_path, name, make_pdf([]))
    else:
        path = _write(tmp_path, name, data)
    with pytest.raises(InputError) as info:
        extract_policy(path)
    message = str(info.value)
    assert "\n" not in message and str(path) in message


@pytest.mark.timeout(60)  # a hang guard, not a speed assertion (speed lives in bench/)
def test_fifty_megabytes_of_noise_is_refused_fast(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    with path.open("wb") as handle:
        for _ in range(50):
            handle.write(os.urandom(1024 * 1024))
    with pytest.raises(InputError, match="too large"):
        extract_policy(path)


@pytest.mark.timeout(60)
def test_a_few_megabytes_of_noise_is_refused_in_bounded_time(tmp_path: Path) -> None:
    path = _write(tmp_path, "noise.txt", os.urandom(3 * 1024 * 1024))
    with pytest.raises(InputError):
        extract_policy(path)


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory"):
        extract_policy(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        extract_policy(tmp_path / "absent.txt")


@pytest.mark.parametrize("name", ["image.png", "random.bin", "empty.txt"])
def test_cli_exit_code_2_and_one_line(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name, HOSTILE[name])
    result = subprocess.run(
        [sys.executable, "-m", "candor.cli.main", "policy", "extract", str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("candor: error: "), result.stderr


@pytest.mark.timeout(60)
def test_text_longer_than_any_policy_is_refused_before_parsing(tmp_path: Path) -> None:
    path = _write(tmp_path, "long.txt", ("隐私政策：我们收集您的信息。" * 100_000).encode("utf-8"))  # 1.4 M characters, 4 MB
    with pytest.raises(InputError, match="too long"):
        extract_policy(path)


@pytest.mark.parametrize(
    "body",
    [
        "我们会收集您的手机号码、IMEI、位置信息，用于提供服务，" * 12_000,  # one endless sentence
        "SDK名称\n使用目的\n收集个人信息\n" + "极光推送SDK\n推送\nIMEI\n" * 12_000,  # an endless bare table
        "| SDK名称 | 使用目的 |\n" + "| 极光推送SDK | 推送 |\n" * 20_000,  # an endless pipe table
    ],
)
@pytest.mark.timeout(120)
def test_pathological_but_valid_text_finishes_in_bounded_time(body: str) -> None:
    from declared import extract_text

    table = extract_text("隐私政策\n" + body)
    assert len(table.sdks) <= 2  # repeated rows merge into one SDK


def test_pdf_text_stops_at_the_total_text_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    import declared.markup as markup

    one_page = make_pdf(["隐私政策 我们收集您的设备信息"])
    three_pages = one_page.replace(b"/Kids [3 0 R] /Count 1", b"/Kids [3 0 R 3 0 R 3 0 R] /Count 3")
    assert markup.pdf_text(three_pages, "p.pdf").count("隐私政策") == 3
    monkeypatch.setattr(markup, "MAX_PDF_CHARS", 5)
    notes: list[str] = []
    assert markup.pdf_text(three_pages, "p.pdf", notes).count("隐私政策") == 1
    assert any("stopped after page 1" in note for note in notes)
