"""site.toml is checked value by value: each setting has the form it needs where it is written, at its line."""

from __future__ import annotations

import os
import re

import pytest
from conftest import ROOT

TOP = '[organisation]\nname = "Testshire County Council"\n'


def test_the_readme_example_and_the_example_site_are_accepted(load_settings):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## The council's settings: `site.toml`\n\n```toml\n(.*?)```", readme, re.DOTALL)
    assert example is not None
    loaded, found = load_settings(example.group(1))
    assert found == []
    assert loaded is not None and loaded.organisation.website == "https://www.nottinghamshire.gov.uk"
    assert load_settings((ROOT / "site.toml").read_text(encoding="utf-8"))[1] == []


WEB = "expected a web address starting https:// or http://"
BASE = "expected a web address such as https://example.gov.uk/democracy/"
EMAIL = "expected an email address such as democratic.services@example.gov.uk"
PHONE = "expected a telephone number of digits, spaces, +, ( ) and - only"
IN_STATIC = 'expected a file in templates/static/ such as "static/logo.svg"'


@pytest.mark.parametrize(
    ("setting", "found"),
    [
        ('website = "javascript:alert(1)"', f"[organisation] website: {WEB}, found 'javascript:alert(1)'"),
        ('website = "data:text/html,<b>x</b>"', f"[organisation] website: {WEB}, found 'data:text/html,<b>x</b>'"),
        (
            'website = "mailto:clerk@testshire.example"',
            f"[organisation] website: {WEB}, found 'mailto:clerk@testshire.example'",
        ),
        (
            'website = "https://x.example/\\" onmouseover=\\"alert(1)"',
            f"[organisation] website: {WEB}, found 'https://x.example/\" onmouseover=\"alert(1)'",
        ),
        ('website = "www.testshire.example"', f"[organisation] website: {WEB}, found 'www.testshire.example'"),
        ("website = 42", f"[organisation] website: {WEB}, found 42"),
        (
            'email = "democratic services"',
            f"[organisation] email: {EMAIL}, found 'democratic services'",
        ),
        (
            'email = "clerk@testshire.example?bcc=all@x.example"',
            f"[organisation] email: {EMAIL}, found 'clerk@testshire.example?bcc=all@x.example'",
        ),
        (
            'email = "javascript:alert(1)//@x.example"',
            f"[organisation] email: {EMAIL}, found 'javascript:alert(1)//@x.example'",
        ),
        (
            'phone = "call 0115 977 4506"',
            f"[organisation] phone: {PHONE}, found 'call 0115 977 4506'",
        ),
        (
            'phone = "tel:0115<script>"',
            f"[organisation] phone: {PHONE}, found 'tel:0115<script>'",
        ),
        (
            'language = "en GB\\" onload=\\"x"',
            '[organisation] language: expected a language tag such as "en-GB" or "cy", found \'en GB" onload="x\'',
        ),
        ('address = ["County Hall"]', "[organisation] address: expected text in quotes, found a list"),
    ],
)
def test_each_organisation_setting_is_held_to_its_form(load_settings, setting, found):
    assert load_settings(f"{TOP}{setting}\n") == (None, [f"site.toml:3: {found}"])


@pytest.mark.parametrize(
    "base_url",
    [
        "democracy.example",
        "javascript:alert(1)",
        'https://x.example/\\"},{\\"a\\":\\"b',
        "https://x.example/<script>",
        "https://x.example/demo cracy/",
        "https://x.example\\\\democracy",
        "https://x.example/\\u001b[31m/",
        "https://x.example/?page=",
        "https://x.example/#top",
        "https://x.example/it's/",
    ],
)
def test_a_base_url_that_would_break_json_csv_or_html_is_refused(load_settings, base_url):
    loaded, found = load_settings(f'{TOP}\n[site]\nbase_url = "{base_url}"\n')  # as written in TOML: \\" is a quote
    assert loaded is None
    assert len(found) == 1 and found[0].startswith(f"site.toml:5: [site] base_url: {BASE}, found ")


def test_good_addresses_numbers_and_sub_paths_are_accepted(load_settings):
    loaded, found = load_settings(
        f'{TOP}website = "https://www.testshire.example/council?lang=en#top"\n'
        'email = "o\'brien.clerk+papers@testshire.gov.uk"\n'
        'phone = "+44 (0)115 977-4506"\nlanguage = "cy"\n\n'
        '[site]\nbase_url = "http://localhost:8000/democracy/~papers/"\n\n'
        '[accessibility]\ncontact_email = "access@testshire.gov.uk"\ncontact_phone = "0300 500 80 80"\n'
        "last_reviewed = 2026-11-24\n"
    )
    assert found == []
    assert loaded is not None and loaded.base_path == "/democracy/~papers/"
    assert loaded.accessibility.last_reviewed == "24 November 2026"  # a TOML date, printed as people read one


def test_accessibility_contacts_are_checked_like_the_organisations(load_settings):
    loaded, found = load_settings(
        f'{TOP}\n[accessibility]\ncontact_email = "ask us"\ncontact_phone = "ring"\nknown_issues = "x"\n'
    )
    assert loaded is None
    assert found == [
        "site.toml:5: [accessibility] contact_email: expected an email address such as "
        "democratic.services@example.gov.uk, found 'ask us'",
        "site.toml:6: [accessibility] contact_phone: expected a telephone number of digits, spaces, +, ( ) and - only, "
        "found 'ring'",
        "site.toml:7: [accessibility] known_issues: expected a list of text such as "
        "[\"The PDF agendas before 2019 are not accessible\"], found 'x'",
    ]


@pytest.mark.parametrize(
    ("toml", "found"),
    [
        (
            '[site]\ntitle = "Papers\\u001b[2J"\n',
            "[site] title: expected text, found a control character U+001B (escape)",
        ),
        (
            '[site]\ndescription = "A\\u0000B"\n',
            "[site] description: expected text, found a control character U+0000 (null)",
        ),
        (
            '[accessibility]\nknown_issues = ["fine", "bell\\u0007"]\n',
            "[accessibility] known_issues: expected text, found a control character U+0007 (bell)",
        ),
        (
            '[publication]\nexempt_paragraphs = { "3" = "Business\\u0085affairs" }\n',
            "[publication] exempt_paragraphs: expected text, found a control character U+0085 (next line)",
        ),
        (
            '[publication]\nexempt_wording = "exempt\\u007f"\n',
            "[publication] exempt_wording: expected text, found a control character U+007F (delete)",
        ),
    ],
)
def test_control_characters_in_any_setting_are_errors(load_settings, toml, found):
    loaded, errors = load_settings(f"{TOP}\n{toml}")
    assert loaded is None
    assert errors == [f"site.toml:5: {found}, which cannot be published; delete it"]


def test_invisible_characters_in_a_setting_are_warnings(load_settings):
    loaded, found = load_settings(f'{TOP}\n[site]\ntitle = "Committee \\u202epapers"\n')
    assert loaded is not None
    assert found == [
        "site.toml:5: warning: [site] title: holds U+202E RIGHT-TO-LEFT OVERRIDE, which is invisible and can "
        "disguise text; delete it"
    ]


def test_exemption_wording_may_only_leave_paragraph_to_fill(load_settings):
    loaded, found = load_settings(f'{TOP}\n[publication]\nexempt_wording = "exempt under {{para}}"\n')
    assert loaded is None
    assert found == [
        "site.toml:5: [publication] exempt_wording: expected wording with {paragraph} where the paragraph number "
        "goes, found 'exempt under {para}'"
    ]


LOGO = '[branding]\nlogo = "{}"\nlogo_alt = "Testshire"\n'


@pytest.mark.parametrize(
    ("logo", "found"),
    [
        ("../site.toml", f'{IN_STATIC}, found "../site.toml"'),
        ("/etc/passwd", f'{IN_STATIC}, found "/etc/passwd"'),
        (
            "static/../../site.toml",
            f'{IN_STATIC}, found "static/../../site.toml"',
        ),
        (
            "https://evil.example/logo.svg",
            f'{IN_STATIC}, found "https://evil.example/logo.svg"',
        ),
        (
            "static/.hidden.svg",
            f'{IN_STATIC}, found "static/.hidden.svg"',
        ),
        (
            'static/logo.svg\\" onerror=\\"alert(1)',
            f'{IN_STATIC}, found "static/logo.svg" onerror="alert(1)"',
        ),
        ("static/crest.svg", "expected the file templates/static/crest.svg, found none"),
        (
            "static/passwd.svg",
            "templates/static/passwd.svg is a link to somewhere outside templates/; such links are refused",
        ),
        ("static/pipe.svg", "templates/static/pipe.svg is not a regular file (a named pipe); expected an image file"),
        (
            "static/loop.svg",
            "templates/static/loop.svg is a link that leads back to itself (a loop of links); such links are refused",
        ),
    ],
)
def test_the_logo_must_be_a_file_inside_templates_static(load_settings, tmp_path, logo, found):
    static = tmp_path / "templates" / "static"
    static.mkdir(parents=True)
    (static / "passwd.svg").symlink_to("/etc/passwd")
    (static / "loop.svg").symlink_to("loop.svg")
    os.mkfifo(static / "pipe.svg")
    loaded, errors = load_settings(f"{TOP}\n{LOGO.format(logo)}")
    assert loaded is None
    assert errors == [f"site.toml:5: [branding] logo: {found}"]


def test_a_logo_linked_to_another_file_inside_templates_is_accepted(load_settings, tmp_path):
    (tmp_path / "templates" / "static").mkdir(parents=True)
    (tmp_path / "templates" / "static" / "crest.svg").symlink_to("logo.svg")
    loaded, found = load_settings(f"{TOP}\n{LOGO.format('static/crest.svg')}")
    assert found == [] and loaded is not None and loaded.branding.logo == "static/crest.svg"


def test_a_setting_is_found_at_its_line_in_its_own_section(load_settings):
    toml = f'{TOP}email = "clerk@testshire.example"\n\n[accessibility]\ncontact_email = "x"\n'
    assert load_settings(toml)[1] == [
        "site.toml:6: [accessibility] contact_email: expected an email address such as "
        "democratic.services@example.gov.uk, found 'x'"
    ]


def test_the_statements_dates_and_response_time_and_the_packs_pdfs_are_read(load_settings):
    loaded, found = load_settings(
        f'{TOP}\n[accessibility]\nprepared_on = 2020-09-23\nlast_tested = "spring 2026"\nresponse_days = 10\n\n'
        '[packs]\npdf = "all"\nrecent_days = 30\n'
    )
    assert found == [] and loaded is not None
    assert (loaded.accessibility.prepared_on, loaded.accessibility.last_tested) == ("23 September 2020", "spring 2026")
    assert loaded.accessibility.response_days == 10
    assert (loaded.packs.pdf, loaded.packs.recent_days) == ("all", 30)


def test_the_packs_pdfs_default_to_recent_meetings(load_settings):
    import datetime as dt

    loaded, found = load_settings(TOP)
    assert found == [] and loaded is not None
    packs = loaded.packs
    assert (packs.pdf, packs.recent_days) == ("recent", 90)
    today = dt.date(2026, 11, 24)
    assert packs.wants_pdf(dt.date(2027, 1, 5), today) and packs.wants_pdf(dt.date(2026, 8, 26), today)
    assert not packs.wants_pdf(dt.date(2026, 8, 25), today)


@pytest.mark.parametrize(
    ("setting", "found"),
    [
        ('[packs]\npdf = "some"', '[packs] pdf: expected "all", "recent" or "none", found \'some\''),
        ("[packs]\npdf = true", '[packs] pdf: expected "all", "recent" or "none", found true'),
        ('[packs]\nrecent_days = "90"', "[packs] recent_days: expected a whole number of days such as 10, found '90'"),
        ("[packs]\nrecent_days = -1", "[packs] recent_days: expected a whole number of days such as 10, found -1"),
        ("[packs]\nrecent_days = 1.5", "[packs] recent_days: expected a whole number of days such as 10, found 1.5"),
        (
            "[accessibility]\nresponse_days = true",
            "[accessibility] response_days: expected a whole number of days such as 10, found true",
        ),
        ("[accessibility]\nprepared_on = 5", "[accessibility] prepared_on: expected a date or text in quotes, found 5"),
        ('[packs]\npdfs = "all"', "unknown setting 'pdfs' in [packs] (did you mean \"pdf\"?)"),
    ],
)
def test_bad_pack_and_statement_settings_are_errors_at_their_line(load_settings, setting: str, found: str):
    loaded, messages = load_settings(f"{TOP}\n{setting}\n")
    assert loaded is None
    assert messages == [f"site.toml:5: {found}"]
