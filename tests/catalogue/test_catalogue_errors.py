"""A broken catalogue file fails at load with an error naming the file, the entry and the reason.

Every file written here is a small synthetic fragment made for these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from signaal.errors import CatalogueError, Problem, exit_code
from signaal.knowledge import Knowledge

GOOD_INDICATOR = """\
  - id: {id}
    nl: synthetische indicator
    en: synthetic indicator
    forms: [labour]
    weight: 0.5
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def load_error(folder: Path) -> CatalogueError:
    with pytest.raises(CatalogueError) as info:
        _ = Knowledge.read(folder).catalogue
    return info.value


def indicators_file(folder: Path, *entries: str) -> None:
    write(folder, "indicators.yaml", "# synthetic\nindicators:\n" + "".join(entries))


def the_problem(error: CatalogueError) -> Problem:
    assert len(error.problems) == 1, str(error)
    return error.problems[0]


def test_unknown_form_names_file_line_entry_and_form(tmp_path: Path) -> None:
    bad = GOOD_INDICATOR.format(id="synthetic_bad").replace("[labour]", "[labour, slavery]")
    indicators_file(tmp_path, GOOD_INDICATOR.format(id="synthetic_ok"), bad)
    error = load_error(tmp_path)
    problem = the_problem(error)
    assert problem.file == str(tmp_path / "indicators.yaml")
    assert problem.line == 8  # the second entry starts on line 8 of the file
    assert problem.field == "forms"
    assert "synthetic_bad" in problem.reason and "unknown form 'slavery'" in problem.reason
    assert "indicators.yaml:8" in str(error)
    assert exit_code(error) == 3


def test_weight_out_of_range(tmp_path: Path) -> None:
    indicators_file(tmp_path, GOOD_INDICATOR.format(id="synthetic_heavy").replace("0.5", "1.5"))
    problem = the_problem(load_error(tmp_path))
    assert problem.field == "weight"
    assert "synthetic_heavy" in problem.reason and "out of range" in problem.reason


def test_duplicate_id_points_to_the_first_definition(tmp_path: Path) -> None:
    entry = GOOD_INDICATOR.format(id="synthetic_twice")
    indicators_file(tmp_path, entry, entry)
    problem = the_problem(load_error(tmp_path))
    assert problem.line == 8
    assert "synthetic_twice" in problem.reason and "duplicate id" in problem.reason
    assert "line 3" in problem.reason


def test_missing_dutch_wording(tmp_path: Path) -> None:
    entry = GOOD_INDICATOR.format(id="synthetic_mute").replace("    nl: synthetische indicator\n", "")
    indicators_file(tmp_path, entry)
    problem = the_problem(load_error(tmp_path))
    assert problem.field == "nl"
    assert "synthetic_mute" in problem.reason and "missing Dutch wording" in problem.reason


def test_indicator_without_forms(tmp_path: Path) -> None:
    indicators_file(tmp_path, GOOD_INDICATOR.format(id="synthetic_formless").replace("[labour]", "[]"))
    problem = the_problem(load_error(tmp_path))
    assert "at least one form" in problem.reason


@pytest.mark.parametrize(
    ("delphi", "expected"),
    [
        ("{adult_labour: {coercion_at_work: strong}}", "bad Delphi dimension 'coercion_at_work'"),
        ("{adult_labour: {coercion_at_destination: huge}}", "bad Delphi strength 'huge'"),
        ("{elderly_labour: {coercion_at_destination: strong}}", "bad Delphi list 'elderly_labour'"),
    ],
)
def test_bad_delphi_reference(tmp_path: Path, delphi: str, expected: str) -> None:
    indicators_file(tmp_path, GOOD_INDICATOR.format(id="synthetic_delphi") + f"    delphi: {delphi}\n")
    problem = the_problem(load_error(tmp_path))
    assert problem.field == "delphi"
    assert "synthetic_delphi" in problem.reason and expected in problem.reason


def test_out_of_range_pps_cluster_and_ilo_number(tmp_path: Path) -> None:
    entry = GOOD_INDICATOR.format(id="synthetic_numbers") + "    pps_cluster: 6\n    ilo: 12\n"
    indicators_file(tmp_path, entry)
    error = load_error(tmp_path)
    assert {p.field for p in error.problems} == {"pps_cluster", "ilo"}


def test_misspelt_field_is_reported_not_ignored(tmp_path: Path) -> None:
    indicators_file(tmp_path, GOOD_INDICATOR.format(id="synthetic_typo") + "    wieght: 0.2\n")
    problem = the_problem(load_error(tmp_path))
    assert problem.field == "wieght" and "unknown field" in problem.reason


def test_every_problem_in_a_file_is_reported_at_once(tmp_path: Path) -> None:
    indicators_file(
        tmp_path,
        GOOD_INDICATOR.format(id="synthetic_one").replace("0.5", "-1"),
        GOOD_INDICATOR.format(id="synthetic_two").replace("[labour]", "[piracy]"),
    )
    error = load_error(tmp_path)
    assert len(error.problems) == 2
    assert "2 problems" in error.message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    write(tmp_path, "forms.yaml", "forms:\n  - id: sexual\n    nl: [unclosed\n")
    problem = the_problem(load_error(tmp_path))
    assert problem.file == str(tmp_path / "forms.yaml")
    assert problem.line is not None and problem.line >= 3


def test_unknown_form_id_in_forms_file(tmp_path: Path) -> None:
    write(tmp_path, "forms.yaml", "forms:\n  - {id: piracy, nl: piraterij, en: piracy}\n")
    error = load_error(tmp_path)
    assert any("piracy" in p.reason and "unknown form" in p.reason for p in error.problems)


MUNICIPALITY_HEADER = (
    "# synthetic\n"
    "id,name,cbs_code,province,police_unit,care_region,veilig_thuis_region,aliases\n"
    "utrecht,Utrecht,GM0344,utrecht,midden-nederland,utrecht,utrecht,\n"
)


def all_centres(folder: Path) -> None:
    """A care-region file with only Utrecht, so a tiny municipality file can validate."""
    write(folder, "care_regions.csv", "id,centrumgemeente,nl\nutrecht,Utrecht,Utrecht\n")


def test_municipality_pointing_to_an_unknown_police_unit(tmp_path: Path) -> None:
    all_centres(tmp_path)
    write(
        tmp_path,
        "municipalities.csv",
        MUNICIPALITY_HEADER + "synthdorp,Synthdorp,GM9999,utrecht,atlantis,utrecht,utrecht,\n",
    )
    problem = the_problem(load_error(tmp_path))
    assert problem.file == str(tmp_path / "municipalities.csv")
    assert problem.line == 4
    assert problem.field == "police_unit"
    assert "synthdorp" in problem.reason and "unknown police unit 'atlantis'" in problem.reason


def test_municipality_with_a_bad_cbs_code_and_clashing_alias(tmp_path: Path) -> None:
    all_centres(tmp_path)
    write(
        tmp_path,
        "municipalities.csv",
        MUNICIPALITY_HEADER + "synthdorp,Synthdorp,0344,utrecht,midden-nederland,utrecht,utrecht,Utrecht\n",
    )
    reasons = " | ".join(p.reason for p in load_error(tmp_path).problems)
    assert "not GM + 4 digits" in reasons
    assert "already names utrecht" in reasons


def test_care_region_whose_centrumgemeente_is_not_listed(tmp_path: Path) -> None:
    write(tmp_path, "care_regions.csv", "id,centrumgemeente,nl\nutrecht,Utrecht,Utrecht\nsynthstad,Synthstad,Synth\n")
    write(tmp_path, "municipalities.csv", MUNICIPALITY_HEADER)
    problem = the_problem(load_error(tmp_path))
    assert problem.file == str(tmp_path / "care_regions.csv")
    assert problem.line == 3
    assert "synthstad" in problem.reason and "not a listed municipality" in problem.reason


def test_reporter_sector_meldcode_must_be_a_boolean(tmp_path: Path) -> None:
    write(
        tmp_path,
        "reporter_sectors.yaml",
        "reporter_sectors:\n  - {id: care, nl: zorg, en: care, meldcode: perhaps}\n",
    )
    problem = the_problem(load_error(tmp_path))
    assert problem.field == "meldcode" and "care" in problem.reason


def test_override_folder_must_exist(tmp_path: Path) -> None:
    error = load_error(tmp_path / "absent")
    assert "does not exist" in str(error)
