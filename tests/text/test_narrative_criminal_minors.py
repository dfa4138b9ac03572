"""Criminal exploitation of minors, Flemish wording, domestic servitude, form combination and
consistent facts. Every sentence here is synthetic, written for these tests."""

from __future__ import annotations

import pytest
from narrative_reading import read

from signaal.triage import Facts


def _forms(text: str) -> list[str]:
    return sorted(f.form for f in read(text).forms)


def _indicators(text: str) -> set[str]:
    return {h.indicator_id for h in read(text).present_indicators}


@pytest.mark.parametrize(
    "text",
    [
        # synthetic: port extractors recruited by an older man
        "Een 16-jarige jongen werd door een oudere man geronseld om in de haven drugs uit containers te halen.",
        # synthetic: a robbery as a "job" for a few tens of euros, the adults keep the loot
        "De jongens kregen 50 euro voor een klusje: een overval plegen in opdracht van volwassen criminelen.",
        # synthetic: cuckooing
        "De woning van de verslaafde man werd door een groep dealers overgenomen en als drugspand gebruikt.",
        # synthetic: parents make their children steal
        "De ouders lieten hun kinderen stelen in winkels in de binnenstad.",
        # synthetic (Flemish): in the grip of a gang, placing explosives
        "Hij kwam in de greep van een drugsbende en moest voor een jobke een explosief plaatsen aan een woning.",
        # synthetic: money mule
        "Hij gaf zijn bankpas af aan een oudere jongen en werd zo een geldezel.",
    ],
)
def test_criminal_exploitation_in_the_words_of_practice(text: str) -> None:
    assert _forms(text) == ["criminal"]


def test_recruitment_of_minors_is_an_indicator_of_its_own() -> None:
    # synthetic
    text = "Volwassen criminelen ronselen tieners via sociale media voor klusjes in de drugshandel."
    assert "recruitment_of_minors" in _indicators(text)
    assert "criminal" in _forms(text)
    # synthetic: an adult recruited for work is not a recruited minor
    assert "recruitment_of_minors" not in _indicators("Een uitzendbureau ronselde volwassen arbeiders in Polen.")


def test_cuckooing_is_a_taken_over_home() -> None:
    # synthetic
    assert "home_taken_over" in _indicators("Bij de kwetsbare vrouw was sprake van cuckooing door dealers uit de stad.")


def test_domestic_servitude_is_labour_exploitation() -> None:
    # synthetic (Flemish register): a live-in domestic worker of fifteen
    text = (
        "Het meisje van 15 werkte als inwonende poetshulp bij een gezin; ze moest dag en nacht poetsen en koken, "
        "kreeg geen loon en werd geslagen."
    )
    reading = read(text)
    assert [f.form for f in reading.forms] == ["labour"]
    assert "domestic_servitude" in {h.indicator_id for h in reading.present_indicators}
    assert {(f.fact, f.value) for f in reading.facts} >= {("minor", True), ("age", 15)}


def test_flemish_window_prostitution_is_sexual_only() -> None:
    # synthetic: handing over earnings in prostitution is not labour exploitation
    assert _forms("Zij moest achter de vitrine werken voor haar souteneur en al haar verdiensten afstaan.") == [
        "sexual"
    ]
    assert _forms("Zij moest al haar verdiensten uit de prostitutie afstaan aan haar pooier, die haar sloeg.") == [
        "sexual"
    ]


def test_forms_that_occur_together_are_both_found() -> None:
    # synthetic: smuggled people working off debts in restaurants and in massage salons
    text = (
        "De gesmokkelde mensen moesten hun reisschuld afbetalen door te werken in restaurants; een deel van de "
        "vrouwen moest in massagesalons klanten seksueel bedienen."
    )
    assert _forms(text) == ["labour", "sexual"]


def test_facts_of_several_people_do_not_contradict() -> None:
    # synthetic: teenagers and an adult in one text
    reading = read("Drie tieners van 15 en een vrouw van 19 werden door de bende ingezet als drugsrunners.")
    facts = {(f.fact, f.value) for f in reading.facts}
    assert ("minor", True) in facts and ("age", 19) not in facts
    assert any("adult" in note for note in reading.notes)
    ages = [f.value for f in reading.facts if f.fact == "age"]
    Facts(minor=True, age=ages[0] if ages else None)  # the route accepts them together


def test_two_minor_ages_leave_the_age_open() -> None:
    # synthetic
    reading = read("Een jongen van 14 en een meisje van 16 moesten drugs verkopen voor een oudere man.")
    assert ("minor", True) in {(f.fact, f.value) for f in reading.facts}
    assert not [f for f in reading.facts if f.fact == "age"]
    assert any("age left open" in note for note in reading.notes)


def test_english_cuckooing_and_child_criminal_exploitation() -> None:
    # synthetic
    text = "The gang recruited teenagers to sell drugs and took over the flat of a vulnerable man (cuckooing)."
    assert _forms(text) == ["criminal"]
    assert {"recruitment_of_minors", "home_taken_over"} <= _indicators(text)


def test_a_setting_of_several_forms_follows_the_other_evidence() -> None:
    # synthetic: a massage salon is where sexual or labour exploitation happens, not which one
    assert _forms("De eigenaars van de massagesalon dwongen de vrouwen tot prostitutie met klanten.") == ["sexual"]
    labour = "In de massagesalon werkten de vrouwen zeven dagen per week voor een hongerloon en sliepen in de salon."
    assert _forms(labour) == ["labour"]


def test_a_deceptive_job_is_no_form_of_its_own() -> None:
    # synthetic: the promised horticulture job is the deception, the exploitation is sexual
    text = "De vrouwen dachten dat ze zouden gaan werken in de tuinbouw, maar ze moesten in de prostitutie werken."
    assert _forms(text) == ["sexual"]


def test_the_suspects_own_charges_do_not_make_a_criminal_form() -> None:
    # synthetic: a news item listing what the suspects are charged with
    text = "De verdachten worden vervolgd voor mensenhandel, afpersing en brandstichting; de vrouwen moesten in de prostitutie werken."
    assert _forms(text) == ["sexual"]


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("Ze was amper 15 jaar toen ze in de prostitutie belandde.", 15),  # synthetic
        ("Toen hij 16 was, moest hij drugs verkopen voor een oudere man.", 16),  # synthetic
        ("Op haar 14e werd ze door een loverboy benaderd.", 14),  # synthetic
    ],
)
def test_ages_as_news_reports_write_them(text: str, age: int) -> None:
    facts = {(f.fact, f.value) for f in read(text).facts}
    assert {("age", age), ("minor", True)} <= facts


def test_flemish_labour_settings() -> None:
    # synthetic (Flemish: a serre is a greenhouse, a frituur a chip shop)
    assert _forms("De Roemeense plukkers werkten in een serre voor een hongerloon.") == ["labour"]
    assert _forms("Hij stond zeven dagen per week in de frituur en kreeg geen loon.") == ["labour"]


def test_jobs_and_drug_use_are_no_forced_crime() -> None:
    # synthetic: ordinary jobs and drug use
    assert "forced_crime" not in _indicators("Hij had verschillende jobs en gebruikte drugs.")


@pytest.mark.parametrize(
    ("text", "forms"),
    [
        # synthetic, each in the register of a news report
        (
            "De jongeren werden betaald om uit te kijken, pakketjes af te leveren en schulden te innen voor de bende.",
            ["criminal"],
        ),
        (
            "Steeds vaker worden minderjarigen door criminele netwerken ingezet om drugs uit containers in de haven te halen.",
            ["criminal"],
        ),
        (
            "Meisjes van 14 werden via Instagram geronseld als geldezel: ze moesten hun bankpas en pincode afgeven.",
            ["criminal"],
        ),
        ("De ouders stuurden hun kinderen de stad in om te stelen.", ["criminal"]),
        (
            "De arbeiders woonden in krotwoningen van de werkgever en werkten zes dagen per week in de vleesverwerking.",
            ["labour"],
        ),
        (
            "De huisbaas verhuurde krotten aan arbeidsmigranten die in de kassen werkten; in een van zijn panden "
            "moesten vrouwen klanten ontvangen.",
            ["labour", "sexual"],
        ),
        (
            "Een vrouw werd met een voodoo-ritueel onder druk gezet en moest achter de vitrine werken om haar "
            "reisschuld af te lossen.",
            ["sexual"],
        ),
    ],
)
def test_news_register(text: str, forms: list[str]) -> None:
    assert _forms(text) == forms


def test_facts_given_differently_for_several_people_are_left_open() -> None:
    # synthetic: two residence situations, and yes and no to the police
    residence = read("Zij heeft geen verblijfsvergunning. Haar vriendin is asielzoeker en woont in het azc.")
    assert not [f for f in residence.facts if f.fact == "residence"]
    assert any(note.startswith("residence left open") for note in residence.notes)
    police = read("Zij wil aangifte doen, maar haar collega wil geen aangifte doen.")
    assert not [f for f in police.facts if f.fact == "willing_to_talk_to_police"]
