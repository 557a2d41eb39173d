"""Places: the gazetteer, toponym resolution in context, and the seed article."""

from __future__ import annotations

import pytest

from tidings import Pipeline
from tidings.article import Place as PlaceRecord
from tidings.gazetteer import distance_km, name_key


def _spans(pipeline: Pipeline, text: str, **kw: str) -> dict[str, PlaceRecord]:
    """Each place mention's text → its place record."""
    article = pipeline.analyze(text, **kw)
    return {text[s:e]: p for p in article.places for s, e in p.mentions}


def _places(pipeline: Pipeline, text: str, **kw: str) -> dict[str, tuple]:
    article = pipeline.analyze(text, **kw)
    return {p.name: (p.country, p.feature, p.admin1, p.lat, p.lon) for p in article.places}


def test_places_seed_article(seed) -> None:  # type: ignore[no-untyped-def]
    by_name = {p.name: p for p in seed.places}
    baghdad = by_name["Baghdad"]
    assert baghdad.geonameid == 98182 and baghdad.country == "IQ"
    assert distance_km(baghdad.lat, baghdad.lon, 33.34, 44.40) < 5
    green = by_name["Green Zone"]
    assert green.country == "IQ" and distance_km(green.lat, green.lon, 33.34, 44.40) < 15
    assert by_name["Iraq"].country == "IQ" and by_name["Iraq"].feature == "PCLI"
    assert by_name["Iran"].country == "IR"
    # "Iraqi" is a mention of Iraq (a demonym), and the article is about Iraq.
    iraqi = [m for m in by_name["Iraq"].mentions if seed.text[m[0] : m[1]] == "Iraqi"]
    assert iraqi
    assert seed.focus["countries"][0] == "IQ"
    # "outside the Green zone" (small "zone") is the Green Zone, not Green, Ohio: the
    # article names no place outside Iraq, Iran and the United States.
    assert {p.country for p in seed.places} == {"IQ", "IR", "US"}
    assert "Green zone" in [seed.text[s:e] for s, e in green.mentions]
    assert "Baghdad" in seed.focus["places"]
    assert not any(p.name in ("Washington", "Capitol") for p in seed.places)  # caption only
    for p in seed.places:
        for s, e in p.mentions:
            assert seed.text[s:e]  # offsets into the clean text


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("Clashes broke out in Tripoli on Sunday, Libyan officials said, as rival militias "
         "fought near the airport.", "Tripoli", "LY"),
        ("Protesters gathered in Tripoli, the second city of Lebanon, after the Lebanese pound "
         "collapsed.", "Tripoli", "LB"),
        ("Snow closed roads around Moscow, Idaho, on Tuesday, the state transport department "
         "said.", "Moscow", "US"),
        ("The Kremlin said Moscow would respond to the new sanctions within days.", "Moscow", "RU"),
        ("Fighting continued in Georgia, where the government in Tbilisi declared an "
         "emergency.", "Georgia", "GE"),
        ("Voters in Georgia lined up in Atlanta suburbs on Tuesday.", "Georgia", "US"),
        # One of several states of a country named together is that country's.
        ("Tornadoes tore through Alabama, Mississippi and Georgia overnight.", "Georgia", "US"),
    ],
)  # fmt: skip
def test_places_ambiguous_names_resolved_by_context(pipeline: Pipeline, text: str, name: str,
                                                     country: str) -> None:  # fmt: skip
    places = _places(pipeline, text)
    assert places[name][0] == country


def test_places_moscow_idaho_is_the_idaho_town(pipeline: Pipeline) -> None:
    places = _places(pipeline, "Snow closed roads around Moscow, Idaho, on Tuesday.")
    assert places["Moscow"][2] == "Idaho"
    assert places["Idaho"][1] == "ADM1"


@pytest.mark.parametrize(
    ("text", "name", "state"),
    [
        # A metropolis is what its name means beside its namesake's state ...
        ("Flights between New York and Boston were cancelled as the storm moved up the "
         "coast.", "Boston", "Massachusetts"),
        ("Fans drove from Nashville to Atlanta for the game, the Georgia Department of "
         "Transportation said.", "Nashville", "Tennessee"),
        # ... unless the state is written after the village's name, even abbreviated.
        ("A barn fire in Boston, N.Y., destroyed two tractors, the Erie County sheriff "
         "said.", "Boston", "New York"),
        ("The Nashville, Ga., city council met on Tuesday.", "Nashville", "Georgia"),
    ],
)  # fmt: skip
def test_places_metropolis_over_namesake_town(pipeline: Pipeline, text: str, name: str,
                                              state: str) -> None:  # fmt: skip
    assert _places(pipeline, text)[name][2] == state


@pytest.mark.parametrize("name", ["USA", "U.S.", "Chad", "Jordan", "Georgia", "Mexico", "Lebanon"])
def test_places_country_name_is_never_a_town(pipeline: Pipeline, name: str) -> None:
    text = f"Officials in {name} said on Monday that talks would continue next week."
    [place] = pipeline.analyze(text).places
    assert place.feature == "PCLI"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        # A local obituary: the towns around say Lebanon, Pennsylvania, and nothing says
        # the Middle East.
        ("Services will be held Saturday at the Smith Funeral Home in Lebanon. She is "
         "survived by a son, John, of Myerstown, and a sister, Ann Miller, of Annville.", "US"),
        # The same name beside American places but no town near a Lebanon: the country.
        ("The State Department in Washington said the United States would send aid to "
         "Lebanon after the blast.", "LB"),
        ("Officials in Jordan said the refugees crossed from Syria near Mafraq.", "JO"),
        # A story about the world: the country, whatever towns near a Lebanon it names.
        ("Flu cases rose again. Egypt, Bulgaria and Nicaragua each reported their first "
         "case, while Lebanon reported three. In Pennsylvania, Hershey and Palmyra schools "
         "closed.", "LB"),
    ],
)  # fmt: skip
def test_places_country_name_is_a_town_only_among_its_neighbours(
    pipeline: Pipeline, text: str, country: str
) -> None:
    by_name = {p.name: p for p in pipeline.analyze(text).places}
    place = by_name.get("Lebanon") or by_name["Jordan"]
    assert place.country == country


def test_places_country_name_among_countries_is_the_country(pipeline: Pipeline) -> None:
    text = (
        "The regiment fought in North Africa, Italy and France before it returned home to "
        "Waxahachie and Ennis, Texas."
    )
    by_name = {p.name: p for p in pipeline.analyze(text).places}
    assert by_name["Italy"].country == "IT" and by_name["Italy"].feature == "PCLI"
    assert by_name["Ennis"].admin1 == "Texas"


def test_places_unknown_place_is_kept_unresolved(pipeline: Pipeline) -> None:
    article = pipeline.analyze("Officials in Zorblaxton said the bridge would reopen on Friday.")
    [place] = article.places
    assert place.name == "Zorblaxton"
    assert place.lat is None and place.lon is None and place.geonameid is None


def test_places_unknown_name_without_place_context_is_not_a_place(pipeline: Pipeline) -> None:
    # A name the model may tag GPE but nothing says is a place: not guessed, not kept.
    article = pipeline.analyze("Grubnock said the plan was sound, and Grubnock repeated it.")
    assert all(p.name != "Grubnock" for p in article.places)


def test_places_demonym_is_evidence_for_the_country(pipeline: Pipeline) -> None:
    article = pipeline.analyze("Iraqi officials said a drone struck a base near Baghdad on Sunday.")
    assert article.focus["countries"][0] == "IQ"


def test_places_state_abbreviation_and_direction(pipeline: Pipeline) -> None:
    places = _places(pipeline, "Storms hit western Kentucky and Louisville, Ky., overnight.")
    assert places["Kentucky"][1] == "ADM1"
    assert places["Louisville"][2] == "Kentucky"
    article = pipeline.analyze("Storms hit western Kentucky overnight.")
    [kentucky] = article.places
    assert article.text[slice(*kentucky.mentions[0])] == "Kentucky"


@pytest.mark.parametrize(
    ("text", "feature"),
    [("Lawmakers in Washington approved the budget on Friday.", "PPLC"),
     ("Wildfires spread across Washington state on Friday.", "ADM1")],
)  # fmt: skip
def test_places_big_city_or_division_of_the_same_name(pipeline: Pipeline, text: str,
                                                      feature: str) -> None:  # fmt: skip
    [place] = pipeline.analyze(text).places
    assert (place.name, place.feature) == ("Washington", feature)


def test_places_virus_name_is_not_a_place(pipeline: Pipeline) -> None:
    article = pipeline.analyze("Health officials confirmed two cases of West Nile virus in Texas.")
    assert [p.name for p in article.places] == ["Texas"]


def test_gazetteer_name_key_and_lookup_speed() -> None:
    import time

    from tidings.gazetteer import load

    g = load()
    assert name_key("The São Paulo") == "sao paulo"
    assert g.demonym("Iraqis") == "IQ"
    started = time.perf_counter()
    for _ in range(10_000):
        g.lookup("Baghdad")
    assert (time.perf_counter() - started) / 10_000 < 1e-3  # microseconds, with a wide margin


def test_gazetteer_user_extra_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tidings.errors import ConfigError
    from tidings.gazetteer import Gazetteer, _load_supplement
    from tidings.settings import load_settings
    from tidings.stages.places import PlacesStage

    header = "kind,name,aliases,lat,lon,country,admin1,feature,population,geonameid\n"
    extra = tmp_path / "extra.csv"
    extra.write_text(header + "place,Camp Horizon,Horizon Camp,12.5,30.25,SD,,PPLX,5000,\n")
    g = Gazetteer()
    _load_supplement(g, extra)
    [camp] = g.lookup("Horizon Camp")
    assert (camp.name, camp.country, camp.lat) == ("Camp Horizon", "SD", 12.5)
    bad = tmp_path / "bad.csv"
    bad.write_text(header + "place,Nowhere,,north,0,XX,,PPL,,\n")
    with pytest.raises(ConfigError, match=r"bad\.csv:2"):
        _load_supplement(Gazetteer(), bad)
    settings = load_settings(environ={}, gazetteer_extra=str(extra))
    assert PlacesStage.from_settings(settings).extra == str(extra)


@pytest.mark.parametrize(
    ("text", "name", "feature", "country"),
    [("Two tankers were attacked in the Strait of Hormuz on Thursday.",
      "Strait of Hormuz", "CHN", None),
     ("Storms flooded homes on Long Island and in New Jersey.", "Long Island", "ISL", "US"),
     ("An earthquake struck off the coast of Sumatra, Indonesia's meteorology agency said.",
      "Sumatra", "ISL", "ID"),
     ("A ferry capsized in the Dardanelles, the Turkish coast guard said.",
      "Dardanelles", "CHN", "TR"),
     ("Police clashed with herders in Kenya's Rift Valley on Monday.",
      "Rift Valley", "RGN", "KE"),
     ("The Republic of Congo closed its border on Friday.",
      "Republic of Congo", "PCLI", "CG")],
)  # fmt: skip
def test_places_waters_islands_and_regions_of_the_news(
    pipeline: Pipeline, text: str, name: str, feature: str, country: str | None
) -> None:
    # Seas, straits, islands and regions the GeoNames lists lack come from our supplement,
    # before any town that shares their name (Long Island, Bahamas; Çanakkale).
    found = _spans(pipeline, text)
    assert (found[name].feature, found[name].country) == (feature, country)


@pytest.mark.parametrize(
    ("text", "name", "feature", "country"),
    [("Thousands of protesters gathered in Tahrir Square in Baghdad on Friday.",
      "Tahrir Square", "SQR", "IQ"),
     ("Thousands of protesters gathered in Tahrir Square in Cairo on Friday.",
      "Tahrir Square", "SQR", "EG"),
     ("Flights were cancelled at Heathrow on Sunday.", "Heathrow", "AIRP", "GB")],
)  # fmt: skip
def test_places_sites_of_the_news(
    pipeline: Pipeline, text: str, name: str, feature: str, country: str
) -> None:
    # Squares, airports and bases from our supplement; two Tahrir Squares told apart by
    # the city beside them; the airport, not Heathrow, Florida.
    found = _spans(pipeline, text)
    assert (found[name].feature, found[name].country) == (feature, country)


def test_events_located_at_a_site(pipeline: Pipeline) -> None:
    text = "Two rockets struck the Ain al-Asad air base in western Iraq on Tuesday."
    article = pipeline.analyze(text, published="2021-11-09")
    [event] = [e for e in article.events if not e.get("background")]
    assert event["location"]["name"] == "Ain al-Asad Air Base"
    assert event["location"]["country"] == "IQ" and event["geo_precision"] == 1


@pytest.mark.parametrize(
    ("text", "feature", "country"),
    [("A cargo ship sank in the Red Sea on Monday; two crew members drowned, Egyptian "
      "officials said.", "SEA", None),
     ("Tribal clashes broke out in Red Sea state, Sudan, on Monday.", "ADM1", "SD"),
     ("Hurghada, a resort in Egypt's Red Sea governorate, reopened its airport.", "ADM1", "EG")],
)  # fmt: skip
def test_places_a_sea_or_the_division_named_after_it(
    pipeline: Pipeline, text: str, feature: str, country: str | None
) -> None:
    found = _spans(pipeline, text)["Red Sea"]
    assert (found.feature, found.country) == (feature, country)


@pytest.mark.parametrize(
    ("text", "country"),
    [("Workers marched in Valdivia, Los Rios, on Friday, Chilean media reported.", "CL"),
     ("Protesters gathered in Los Rios province, Ecuador.", "EC")],
)  # fmt: skip
def test_places_iso_division_beside_a_namesake_abroad(
    pipeline: Pipeline, text: str, country: str
) -> None:
    # Chile's Los Ríos region (ISO 3166-2 only, its people uncounted) is kept beside
    # Ecuador's province of the name; the article's country decides.
    assert _spans(pipeline, text)["Los Rios"].country == country


def test_places_name_joined_by_and_before_a_possessive(pipeline: Pipeline) -> None:
    # "Newfoundland and Labrador's ties" is the province, not the island and a town.
    text = "The service reflected on Newfoundland and Labrador's ties to the sea."
    found = _spans(pipeline, text)
    assert found["Newfoundland and Labrador"].feature == "ADM1"
    assert "Newfoundland" not in found and "Labrador" not in found


def test_places_town_province_country_holds_the_town(pipeline: Pipeline) -> None:
    # "Stroud, Ontario, Canada": the province holds the town, whatever follows it; the
    # Stroud we know is English, so it stays unresolved rather than moved to England.
    found = _spans(pipeline, "The truck was stopped on Highway 11 in Stroud, Ontario, Canada.")
    assert found["Stroud"].lat is None and found["Ontario"].country == "CA"
    found = _spans(pipeline, "Two civilians were wounded in Avdiivka, Donetsk, Ukraine.")
    assert found["Avdiivka"].country == "UA"


def test_places_west_nile_is_a_disease(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "About 60 percent of West Nile cases in the U.S. happen in Texas.")
    assert "Nile" not in found and "West Nile" not in found
    assert found["Texas"].country == "US"
    river = _spans(pipeline, "The boat sank in the Nile near Khartoum.")
    assert river["Nile"].feature == "STM"


def test_places_inside_organisation_names(pipeline: Pipeline) -> None:
    text = ("A spokesman for the Gwinnett County Police Department said the boy was found, "
            "and the Arts Center of Cannon County cancelled its show. Officers from the Hall "
            "County Sheriff's Office arrested two men.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert spans["Gwinnett County"].country == "US"
    assert spans["Cannon County"].country == "US"
    assert spans["Hall County"].country == "US"
    assert not any("Police" in name or "Office" in name for name in spans)


def test_places_local_offices_are_their_countys(pipeline: Pipeline) -> None:
    text = "Linda Pierce won the race for Muscogee County Clerk of Superior Court."
    spans = _spans(pipeline, text)
    assert spans["Muscogee County"].country == "US"
    assert not any("Clerk" in name for name in spans)


def test_places_organisation_named_after_the_articles_town(pipeline: Pipeline) -> None:
    # A club named after the town the story names: the town; a newspaper's name is not.
    text = ("GAINESVILLE, Ga. - Rodeo season opens in Gainesville this weekend. The "
            "Gainesville Riding Club will host it. The Moscow Times sent a reporter.")  # fmt: skip
    article = pipeline.analyze(text)
    spans = {text[s:e]: p for p in article.places for s, e in p.mentions}
    club = text.index("Gainesville Riding")
    gainesville = next(p for p in article.places if p.name == "Gainesville")
    assert [club, club + len("Gainesville")] in gainesville.mentions
    assert gainesville.admin1 == "Georgia"
    assert "Moscow" not in spans


def test_places_streets_lie_in_the_articles_town(pipeline: Pipeline) -> None:
    text = ("Police were called to a house in the 100 block of O'Roark Avenue in Gainesville, "
            "Georgia, on Tuesday. A second fire broke out on Spring Street. Crews closed "
            "County Road 12.")  # fmt: skip
    article = pipeline.analyze(text)
    by_name = {p.name: p for p in article.places}
    town = by_name["Gainesville"]
    for street in ("O'Roark Avenue", "Spring Street"):
        assert by_name[street].feature == "STRT"
        assert (by_name[street].lat, by_name[street].lon) == (town.lat, town.lon)
        assert by_name[street].geonameid is None
    assert "County Road" not in by_name  # a kind of road, not a name
    assert "O'Roark Avenue" not in article.focus["places"]


def test_places_district_holding_a_big_city_is_not_as_big(pipeline: Pipeline) -> None:
    # The city table files Perth under the small "Town of Cambridge": that district does
    # not outnumber the towns called Cambridge.
    [place] = pipeline.analyze("Residents of Cambridge voted on Tuesday.").places
    assert (place.name, place.feature) == ("Cambridge", "PPL") and place.country != "AU"


def test_places_street_the_model_took_for_a_person(pipeline: Pipeline) -> None:
    text = ("Firefighters in Trenton were called to the senior citizen apartment complex at "
            "216 S. Clinton Avenue at 12:45 a.m. Trenton police said no one was hurt. The actor "
            "Nathan Lane visited Trenton on Monday.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert spans["S. Clinton Avenue"].feature == "STRT"
    assert spans["S. Clinton Avenue"].admin1 == spans["Trenton"].admin1
    assert "Nathan Lane" not in spans  # a person's "Lane" is no street


def test_places_streets_are_not_courts_or_numbered_roads(pipeline: Pipeline) -> None:
    text = ("Four people who live at 44 Hungerford St. were arrested in Hartford, Connecticut. "
            "Lawyers met at the District Court on Highway 55 and Constitution Place.")  # fmt: skip
    by_name = {p.name: p for p in pipeline.analyze(text).places}
    assert by_name["Hungerford St."].feature == "STRT"  # the model calls it an organisation
    assert by_name["Hungerford St."].admin1 == "Connecticut"
    assert not {"District Court", "Highway 55", "Constitution Place"} & set(by_name)


def test_places_counties_listed_before_the_word(pipeline: Pipeline) -> None:
    text = "Flooding closed roads in Clarke, Madison, Oconee and Oglethorpe counties in Georgia."
    places = {text[s:e]: p for p in pipeline.analyze(text).places for s, e in p.mentions}
    for name in ("Clarke", "Madison", "Oconee", "Oglethorpe"):
        assert (places[name].name, places[name].feature) == (f"{name} County", "ADM2")
        assert places[name].admin1 == "Georgia"


def test_places_name_with_its_kind_and_body_named_after_a_county(pipeline: Pipeline) -> None:
    text = ("She was born in Jackson Township, Ohio, in 1930, and was held in the Boone County "
            "Jail after a stop in Hebei province, China.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert spans["Jackson Township"].admin1 == "Ohio"  # a capitalised kind is in the name
    assert spans["Boone County"].feature == "ADM2"  # the jail is the county's
    assert spans["Hebei"].country == "CN" and "Hebei province" not in spans


def test_places_legislators_home_after_the_party(pipeline: Pipeline) -> None:
    text = ("House Speaker Bobby Harrell, R-Charleston, can pave the way, said Rep. Vicki "
            "Lensing, D-Iowa City, and Rep. Nick Rahall, D-W. Va., chairman.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert spans["Charleston"].feature.startswith("PPL")
    assert spans["Iowa City"].admin1 == "Iowa"
    assert spans["W. Va."].name == "West Virginia"


def test_places_legislators_county_and_minnesota_party(pipeline: Pipeline) -> None:
    # West Virginia's delegates go by their county's bare name; Minnesota's Democrats are
    # the DFL; a sentence's point is no abbreviation's ("D-Logan. The vote…").
    text = ("The bill passed the West Virginia House. Its sponsors were Delegate Ann Roe, "
            "D-Kanawha; Delegate Bo Fry, R-Monongalia, and Delegate Cy Lee, D-Logan. In St. "
            "Paul, Sen. Di Poe, DFL-Duluth, voted no.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert (spans["Kanawha"].name, spans["Kanawha"].admin1) == ("Kanawha County", "West Virginia")
    assert spans["Monongalia"].name == "Monongalia County"
    assert "Logan" in spans and "Logan." not in spans
    assert spans["Duluth"].admin1 == "Minnesota"


def test_places_based_in_a_place(pipeline: Pipeline) -> None:
    text = ("The Tbilisi talks ended. Officers will visit the Gori-based first brigade, and "
            "the Sligo-based charity will help, said a Northbrook-based retailer.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert spans["Gori"].country == "GE"
    assert spans["Sligo"].country == "IE"
    assert spans["Northbrook"].country == "US"


def test_places_world_regions(pipeline: Pipeline) -> None:
    text = ("Locust swarms moved from North Africa into Southern Europe, where growers in "
            "Sicily recalled the plague that once reached the Soviet Union.")  # fmt: skip
    article = pipeline.analyze(text)
    spans = {text[s:e]: p for p in article.places for s, e in p.mentions}
    assert spans["North Africa"].feature == "RGN" and spans["North Africa"].country is None
    assert spans["Southern Europe"].lat is not None and "Europe" not in spans
    assert spans["Sicily"].country == "IT"
    # History's country is a place but says nothing about where the story is.
    assert spans["Soviet Union"].feature == "PCLH"
    assert "Soviet Union" not in article.focus["places"] and "RU" not in article.focus["countries"]


def test_places_body_taken_for_a_person(pipeline: Pipeline) -> None:
    # The model takes a local body's name for a person's; its place is still a place,
    # but a parish is not in a town of its first name.
    text = ("The man was shot twice, according to Anderson County Sheriff Greg Taylor. The "
            "arrest was made near Palestine, Texas. A few firefighters were hurt, said "
            "Litchfield Fire Chief Jim Koser in Connecticut. Residents of Jefferson Parish "
            "fled the storm in Louisiana.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert (spans["Anderson County"].feature, spans["Anderson County"].admin1) == ("ADM2", "Texas")
    assert spans["Litchfield"].admin1 == "Connecticut"
    assert "Jefferson" not in spans


def test_places_people_of_a_province(pipeline: Pipeline) -> None:
    # A people's name made from a province's or region's is that place, as a nation's is
    # its country; a word that merely ends alike is not ("Marines": no Mara, Tanzania).
    text = ("Dagestani police said South Ossetian officials met Ohioans and Floridians "
            "on Monday, while Marines stood guard.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert (spans["Dagestani"].name, spans["Dagestani"].country) == ("Dagestan", "RU")
    assert spans["South Ossetian"].name == "South Ossetia"
    assert (spans["Ohioans"].name, spans["Floridians"].name) == ("Ohio", "Florida")
    assert "Marines" not in spans


def test_places_our_own_regions_whatever_the_model_called_them(pipeline: Pipeline) -> None:
    # The supplement's islands, ranges and regions are places even when the model tags
    # them a person or an organisation; the European Union only where it says place.
    text = ("A tsunami hit the southern coast of Java on Monday afternoon. The first settlers "
            "west of the Appalachians built their forts along the river.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert spans["Java"].country == "ID"
    assert spans["Appalachians"].name == "Appalachian Mountains"


def test_places_the_governor_of_a_province(pipeline: Pipeline) -> None:
    # Whatever the model called it ("Nineveh" here: a person).
    spans = _spans(pipeline, "The Governor of Nineveh resigned on Sunday.")
    assert (spans["Nineveh"].country, spans["Nineveh"].feature) == ("IQ", "ADM1")


def test_places_dateline_after_the_headline(pipeline: Pipeline) -> None:
    text = ("Budget for recycling, winter maintenance. TORRINGTON — City Council tentatively "
            "approved the budget, Connecticut officials said.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert (spans["TORRINGTON"].name, spans["TORRINGTON"].admin1) == ("Torrington", "Connecticut")


def test_places_dateline_with_the_agency(pipeline: Pipeline) -> None:
    text = ("Students endorse a fee for the new arena. BOWLING GREEN, Ohio (AP) — Students at "
            "the university voted on Tuesday for a fee.")  # fmt: skip
    spans = _spans(pipeline, text)
    assert spans["BOWLING GREEN"].admin1 == "Ohio"


def test_places_street_without_a_town_is_left_out(pipeline: Pipeline) -> None:
    article = pipeline.analyze("A second fire broke out on Spring Street on Tuesday.")
    assert not [p for p in article.places if p.name == "Spring Street" and p.lat is not None]


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # The model calls these people or organisations; the company they keep says place.
        ("The new train from Amsterdam to Berlin includes stops in Hilversum and Almelo, the "
         "paper points out.", "Almelo", "NL"),
        ("The retail chain has stores in Zilina, Nitra, Presov and Kosice.", "Prešov", "SK"),
        ('"We expect that to continue," said Dave Amstutz, of Wooster.', "Wooster", "US"),
        ("The body of a 22-year-old Winona man was found on Sunday.", "Winona", "US"),
        ("The driver, Theresa Pilkington of Jeannette, was taken to hospital.", "Jeannette", "US"),
    ],
)  # fmt: skip
def test_places_towns_listed_with_places_or_as_a_home(pipeline: Pipeline, text: str, name: str,
                                                      country: str) -> None:  # fmt: skip
    assert _places(pipeline, text)[name][0] == country


def test_places_people_listed_together_are_not_places(pipeline: Pipeline) -> None:
    assert _places(pipeline, "Mary Lindsay and Tom Canaan met reporters.") == {}


def test_places_names_that_are_not_places_inside_organisations(pipeline: Pipeline) -> None:
    text = ("Students at the University of Florida and Columbia University met reporters on "
            "Dublin Center Drive.")  # fmt: skip
    article = pipeline.analyze(text)
    named = {text[s:e] for p in article.places for s, e in p.mentions}
    assert not named & {"Florida", "Columbia", "Dublin"}


def test_places_dates_and_numbers_are_never_places(pipeline: Pipeline) -> None:
    text = "The vote was held in May, and in nine states turnout rose at one time to 70 percent."
    article = pipeline.analyze(text)
    named = {text[s:e] for p in article.places for s, e in p.mentions}
    assert not named & {"May", "nine", "one"}


def test_places_divisions_in_parentheses_place_the_town(pipeline: Pipeline) -> None:
    # "Mandoli" is in the gazetteer only as a village in India; the divisions after it,
    # and the rest of the note, say Mali: the Indian village is not taken.
    text = ("On 5 May 2020, militants attacked the gendarmerie station in Mandoli (Bandiagara, "
            "Mopti) and wounded four gendarmes.")  # fmt: skip
    article = pipeline.analyze(text, published="2020-05-09")
    by_name = {p.name: p for p in article.places}
    assert by_name["Mopti"].country == "ML"
    assert all(p.country in ("ML", None) for p in article.places)
    [event] = [e for e in article.events if not e["background"]]
    assert event["location"]["country"] == "ML"


def test_places_alternate_name_of_a_town_abroad_is_not_taken(pipeline: Pipeline) -> None:
    # Gulshan, a Dhaka neighbourhood the gazetteer lacks, is also an alternate name of
    # Tabas, Iran: kept, unresolved, rather than moved to Iran.
    text = "Police in Dhaka, Bangladesh, arrested the opposition leader at his home in Gulshan."
    spans = _spans(pipeline, text)
    assert spans["Dhaka"].country == "BD"
    assert spans["Gulshan"].country is None and spans["Gulshan"].lat is None


def test_places_generic_region_name_is_the_towns_region(pipeline: Pipeline) -> None:
    # "Central" is also Paraguay's, Ghana's, Zambia's...: here the region Lilongwe lies in.
    text = "Militants torched party offices in Lilongwe (Lilongwe, Central) on Monday."
    spans = _spans(pipeline, text, published="2020-05-09")
    assert (spans["Central"].name, spans["Central"].country) == ("Central Region", "MW")


def test_places_kosovo_is_a_country(pipeline: Pipeline) -> None:
    places = _places(pipeline, "Local residents protested in Selac, Kosovo, demanding a road.")
    assert places["Kosovo"][:2] == ("XK", "PCLI")


def test_places_name_the_model_cut_short_is_widened(pipeline: Pipeline) -> None:
    text = (
        "On 28 April 2020, in Boa Vista, Roraima, a gang member was killed. The Mansfield man fled."
    )
    spans = _spans(pipeline, text, published="2020-05-09")
    assert spans["Boa Vista"].country == "BR"
    assert "Vista" not in spans and not any(name.startswith("The ") for name in spans)


def test_places_name_cut_at_a_hyphen_is_widened(pipeline: Pipeline) -> None:
    text = "On 1 May 2020, medics protested in Ivano-Frankivsk demanding hazard pay."
    spans = _spans(pipeline, text, published="2020-05-09")
    assert spans["Ivano-Frankivsk"].country == "UA"


def test_places_name_with_its_parentheses_in_one_entity(pipeline: Pipeline) -> None:
    # The model reads "Gabes (Gabes" as a single name.
    text = (
        "On 4 May 2020, police officers protested in front of the court in Gabes (Gabes). "
        "On 30 April 2020, residents in Bamako (Bamako) staged a demonstration."
    )
    spans = _spans(pipeline, text, published="2020-05-09")
    assert spans["Gabes"].country == "TN"
    assert spans["Bamako"].country == "ML"
    assert not any("(" in name for name in spans)


def test_gazetteer_finds_names_with_the_arabic_article() -> None:
    from tidings.gazetteer import load

    g = load()
    assert {p.country for p in g.lookup("Ar-Raqqa")} == {"SY"}
    assert not g.lookup("El Mina")  # "el" is as often Spanish: not Mina, Mexico
    # The article as the sources assimilate it: "Al Sukhnah" is also Syria's As Sukhnah.
    assert "SY" in {p.country for p in g.lookup("Al Sukhnah")}


def test_gazetteer_arabic_names_without_ayn_or_hamza() -> None:
    from tidings.gazetteer import load

    g = load()
    # "Sadah" is Sa'dah, the Yemeni governorate as well as its capital.
    assert {(p.country, p.feature) for p in g.lookup("Sadah")} >= {("YE", "ADM1"), ("YE", "PPL")}
    assert ("YE", "ADM1") in {(p.country, p.feature) for p in g.lookup("Marib")}
    # Only in Arabic-speaking countries: a contraction or a Chinese surname is no place.
    assert not g.lookup("Chen") and not g.lookup("I'll")


def test_gazetteer_soft_signs_and_ejectives_left_out() -> None:
    from tidings.gazetteer import load

    g = load()
    # Romanised with apostrophes news drops: "Novoazovs'k", "Mar'yinka", "Ts'khinvali".
    assert "UA" in {p.country for p in g.lookup("Novoazovsk")}
    assert "UA" in {p.country for p in g.lookup("Maryinka")}
    assert "GE" in {p.country for p in g.lookup("Tskhinvali")}
    # Not where an apostrophe elides a vowel: no "LAquila" for L'Aquila.
    assert not g.lookup("LAquila")


def test_places_division_name_is_not_a_town_abroad(pipeline: Pipeline) -> None:
    # The gazetteer knows no division called Babylon (Iraq's is Babil), only a town in
    # New York; "province" says it is not that town.
    text = "On 3 May 2020, the PMF repelled an IS attack in Babylon province, Iraq."
    places = _places(pipeline, text, published="2020-05-09")
    assert places["Babylon"][0] is None
    assert places["Iraq"][0] == "IQ"


def test_places_county_named_beside_a_town_places_it(pipeline: Pipeline) -> None:
    # Decatur, Illinois is the biggest Decatur; the county says Georgia's.
    places = _places(pipeline, "Commissioners in DeKalb County met on Monday to discuss a new "
                               "library for Decatur, the county seat.")  # fmt: skip
    assert places["Decatur"][2] == "Georgia"
    assert places["DeKalb County"][1:3] == ("ADM2", "Georgia")


def test_places_town_not_the_district_named_after_it(pipeline: Pipeline) -> None:
    places = _places(pipeline, "Hundreds of students protested in Kota, Rajasthan, on Friday.")
    assert places["Kota"][:2] == ("IN", "PPL")


def test_gazetteer_division_points_are_region_centres() -> None:
    from tidings.gazetteer import load

    g = load()
    # ISO 3166-2's centre of Ontario, not the middle of its towns (crowded in the south).
    [ontario] = [p for p in g.lookup("Ontario") if p.feature == "ADM1"]
    assert ontario.lat > 48
    [borno] = [p for p in g.lookup("Borno") if p.feature == "ADM1"]
    seat = g.seat("NG", borno.name)
    assert seat is not None and seat.name == "Maiduguri"
    [georgia] = [p for p in g.lookup("DeKalb County") if p.admin1 == "Georgia"]
    assert georgia.population > 100_000  # the people of its towns


@pytest.mark.parametrize(
    ("text", "not_places"),
    [
        # A person's surname, alone after the full name: not the town of that name.
        ("Canadian Foreign Minister Chrystia Freeland left for Washington earlier in the day "
         "to meet her American counterparts. Freeland, U.S. Trade Representative Robert "
         "Lighthizer and Mexican Economy Secretary Ildefonso Guajardo will meet.", {"Freeland"}),
        # A country's name inside a company's: neither the country nor a town.
        ("She cashed the checks at a Bank of America branch in Richmond.", {"America"}),
        # A city's name before another name is a brand: "Toyota Corolla".
        ("A 1992 Toyota Corolla driven by a Fresno man hit the fence.", {"Toyota"}),
        # A venue named after its sponsor: not Rogers, Arkansas (which had pulled "Toronto"
        # into Ohio).
        ("Two absentees were noticed at the Rogers Centre in Toronto.", {"Rogers"}),
        # A currency named after its country: the protest is not in the US.
        ("Protesters in Beirut denounced the high US dollar exchange rate.", {"US"}),
        # After "in", only a place's own name: "Passover" is another name of a village.
        ("Her macaroons, sold in Boston, are dipped in Passover chocolate.", {"Passover"}),
        # Acronyms and diseases, whatever village they also name.
        ("The Ministry of Defence (MoD) named the soldier who died in Syria.", {"MoD"}),
        ("A clash between GNA and LNA forces was reported in Tripoli, Libya.", {"GNA", "LNA"}),
        ("Ebola and the related Marburg hemorrhagic fever are deadly in Angola.", {"Marburg"}),
        # A weapon named after a man (Molotov is also an old name of Perm).
        ("Rioters in Tripoli, Lebanon, hurled Molotov cocktails at soldiers.", {"Molotov"}),
        # A Mexican neighbourhood, not Colonia, Uruguay.
        ("A man was found dead in Colonia Lomas de San Agustin, in Monterrey, Mexico.",
         {"Colonia"}),
    ],
)  # fmt: skip
def test_places_names_that_are_people_or_things(pipeline: Pipeline, text: str,
                                                not_places: set[str]) -> None:  # fmt: skip
    article = pipeline.analyze(text)
    named = {text[s:e] for p in article.places for s, e in p.mentions}
    assert not named & not_places
    assert named - not_places  # the real places are still found


def test_places_provinces_from_iso_3166_2(pipeline: Pipeline) -> None:
    # Newer provinces the city tables do not name, and a province's ISO spelling.
    text = ("On 9 May 2020, party youths clashed with rival supporters in Kasumbalesa "
            "(Sakania, Haut-Katanga); two days later soldiers deployed in Sud-Kivu.")  # fmt: skip
    places = _places(pipeline, text, published="2020-05-12")
    assert places["Haut-Katanga"][:2] == ("CD", "ADM1")
    assert places["South Kivu"][:2] == ("CD", "ADM1")  # "Sud-Kivu": GeoNames' South Kivu


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        # A capital is not moved abroad by a namesake district in parentheses.
        ("On 28 April 2020, in Panama City (Bella Vista), residents protested to demand "
         "relief payments.", "Panama City", "PA"),
        # A news agency's acronym in a dateline is not a division.
        ("INDIANAPOLIS (AP) — Lawmakers passed the state budget late on Friday.",
         "Indianapolis", "US"),
    ],
)  # fmt: skip
def test_places_parentheses_that_do_not_contradict(pipeline: Pipeline, text: str, name: str,
                                                   country: str) -> None:  # fmt: skip
    places = {p.name.lower(): p for p in pipeline.analyze(text).places}
    assert places[name.lower()].country == country


def test_places_division_in_parentheses_the_model_called_a_name(pipeline: Pipeline) -> None:
    # Coders' notes put the divisions in parentheses; the model may call them people.
    text = ("On 1 May 2020, residents held a protest demonstration in Mirpurkhas city "
            "(Mirpurkhas, Sindh), against power cuts.")  # fmt: skip
    article = pipeline.analyze(text, published="2020-05-05")
    assert ("Sindh", "ADM1", "PK") in {(p.name, p.feature, p.country) for p in article.places}
    [event] = [e for e in article.events if not e["background"]]
    assert event["location"]["country"] == "PK"


def test_gazetteer_loose_spellings_of_one_name() -> None:
    from tidings.gazetteer import load, loose_key

    assert loose_key("Idleb") == loose_key("Idlib")
    assert loose_key("Kismaayo") == loose_key("Kismayo")
    assert loose_key("Sulaimaniyah") == loose_key("As Sulaymaniyah")
    assert loose_key("Mondul Kiri") == loose_key("Mondulkiri")
    assert loose_key("Hoceima") == loose_key("Al Hoceima")
    assert loose_key("Gaza") == ""  # too short to match loosely
    assert loose_key("District 23") == ""
    g = load()
    assert {(p.country, p.feature) for p in g.lookup_loose("Idleb")} >= {("SY", "ADM1")}
    assert {p.country for p in g.lookup_loose("Banadir")} == {"SO"}
    # Alike in shape but not in letters: no match.
    assert not [p for p in g.lookup_loose("Yulia") if p.name.startswith("Yal")]


@pytest.mark.parametrize(
    ("text", "mention", "country", "feature"),
    [
        # another spelling of a division, said to be one
        (
            "On Monday a crowd marched through a small town in Idleb province to protest "
            "against new crossing fees.",
            "Idleb",
            "SY",
            "ADM1",
        ),
        # the last name in parentheses after a place is the division that holds it
        (
            "Police detained twenty young men in the Hodan-East quarter (Hodan, Banadir) "
            "after a night of unrest.",
            "Banadir",
            "SO",
            "ADM1",
        ),
        # a known town in parentheses after an unknown one, whatever the model called it
        (
            "Gunmen attacked a militia post near Bir Qasab (Misrata) on Friday; two "
            "fighters were wounded.",
            "Misrata",
            "LY",
            None,
        ),
    ],
)
def test_places_other_spellings_where_the_text_says_place(
    pipeline: Pipeline, text: str, mention: str, country: str, feature: str | None
) -> None:
    found = _spans(pipeline, text)
    assert found[mention].country == country
    if feature:
        assert found[mention].feature == feature


def test_places_loose_spelling_needs_the_articles_country(pipeline: Pipeline) -> None:
    # "Hishah" is shaped like Hesse; nothing in the text is about Germany.
    found = _spans(pipeline, "Shells fell on Al Hishah overnight, residents said.")
    assert all(p.country != "DE" for p in found.values())


def test_places_regions_under_their_french_and_local_names(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "Soldiers fired on a crowd in Bamenda town (Mezam, Nord-Ouest) "
                             "on Sunday, witnesses said.")  # fmt: skip
    assert found["Bamenda"].country == "CM"
    assert found["Nord-Ouest"].country == "CM"
    found = _spans(pipeline, "Nurses protested outside a clinic in Lo Prado (Metropolitana) "
                             "over unpaid wages.")  # fmt: skip
    assert found["Metropolitana"].country == "CL"
    found = _spans(pipeline, "Farmers blocked the main road into the Bekaa on Friday over "
                             "fuel prices.")  # fmt: skip
    assert found["Bekaa"].country == "LB"


def test_places_division_the_model_took_for_a_person(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "A landmine wounded a farmer near a village of Ponnagyun "
                             "Township, Rakhine State, on Tuesday.")  # fmt: skip
    assert any(p.country == "MM" and p.feature == "ADM1" for p in found.values())


def test_places_town_lies_in_the_province_written_after_it(pipeline: Pipeline) -> None:
    # The Avdiivka the city list spells so is a village in Chernihiv; the one in Donetsk
    # is spelled "Avdiyivka".
    found = _spans(pipeline, "Rebel forces fired mortars at army positions near Avdiivka, "
                             "Donetsk. Two soldiers were wounded.")  # fmt: skip
    assert (found["Avdiivka"].country, found["Avdiivka"].admin1) == ("UA", "Donetsk")
    # The only Orikhove the lists know is in Crimea: not this one.
    found = _spans(pipeline, "Shelling was reported near Orikhove, Luhansk, on Sunday.")
    assert found["Orikhove"].lat is None
    found = _spans(pipeline, "Issac Fisher, 26, of Kansas City, Kan., was charged on Monday.")
    assert found["Kansas City"].admin1 == "Kansas"
    found = _spans(pipeline, "Vance, 57, of Fresno, Calif., said he was still shaken.")
    assert found["Fresno"].admin1 == "California"


def test_places_list_of_towns_is_not_a_town_and_its_province(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "The firm has offices in Los Angeles, Miami, West Palm Beach, "
                             "New York, and Detroit.")  # fmt: skip
    assert found["West Palm Beach"].admin1 == "Florida"
    found = _spans(pipeline, "After stops in Washington, New York and Boston, the prince "
                             "flew home.")  # fmt: skip
    assert found["Washington"].lat is not None


def test_places_generic_region_after_a_town_is_the_towns(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "Opposition supporters were beaten by unknown people in "
                             "Mulanje (Mulanje, Southern) on Saturday.")  # fmt: skip
    assert found["Mulanje"].country == "MW"
    assert found["Southern"].country == "MW"


def test_gazetteer_name_key_folds_letters_without_accents() -> None:
    assert name_key("Kadıköy") == "kadikoy"
    assert name_key("Gəncə") == "ganca"


def test_places_name_followed_by_city_is_the_town(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "On Tuesday, in Huancavelica city, a few dozen people marched to "
                             "demand the release of their leader.")  # fmt: skip
    assert found["Huancavelica"].feature.startswith("PPL")
    # The model may call it anything; "X city" says it is a place.
    found = _spans(pipeline, "Gunmen attacked a checkpoint in the Al Judayry area of Taizz "
                             "city on Sunday.")  # fmt: skip
    assert found["Taizz"].country == "YE"


def test_places_building_called_the_x_is_no_village_abroad(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "Protesters gathered outside the Seray in Tripoli to demand the "
                             "release of detained activists.")  # fmt: skip
    assert found.get("Seray") is None or found["Seray"].country is None


def test_places_name_in_parentheses_lies_in_their_divisions_country(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "Gunmen raided Odugbo (Apa LGA, Benue) on Friday and killed "
                             "two farmers.")  # fmt: skip
    assert all(p.country in (None, "NG") for p in found.values())
    assert found["Benue"].country == "NG"


def test_places_small_town_abroad_is_not_the_one_in_the_named_province(
    pipeline: Pipeline,
) -> None:
    # The only El Alto the lists know is a Peruvian village; La Paz is Bolivia's.
    found = _spans(pipeline, "On Friday, in El Alto, La Paz, residents blocked a bridge to "
                             "demand elections.")  # fmt: skip
    assert found["El Alto"].country != "PE"
    # A Bogota neighbourhood, not a Mexican town of that name.
    found = _spans(pipeline, "Workers protested in La Candelaria, Bogota, on Tuesday.")
    assert found["La Candelaria"].country in (None, "CO")


def test_places_group_named_says_the_country(pipeline: Pipeline) -> None:
    # The OSCE monitors in Ukraine: a village the lists know only in Russia is not it.
    found = _spans(pipeline, "The OSCE SMM recorded twelve explosions near Kalinovo on Friday.")
    assert found["Kalinovo"].country != "RU"


def test_places_town_abroad_ruled_out_by_the_divisions_after_it(pipeline: Pipeline) -> None:
    # A Pakistani city of 120,000 is not the sector in Indian Kashmir the text names.
    found = _spans(pipeline, "Troops of the two countries exchanged fire across the LoC in "
                             "Naushera sector area (Rajouri district, J&K) on Monday.")  # fmt: skip
    assert found["Naushera"].country != "PK"
    assert found["J&K"].country == "IN"


def test_places_name_widened_over_small_words(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "On Friday, in Martinez de la Torre, Veracruz, two armed men "
                             "shot a taxi driver.")  # fmt: skip
    assert any(p.name == "Martínez de la Torre" for p in found.values())


def test_places_loose_spelling_in_parentheses_not_a_small_division(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "Nurses held a sit-in at the hospital in El Bouni (El Bouni) on "
                             "Sunday.")  # fmt: skip
    assert all(p.country != "YT" for p in found.values())


@pytest.mark.parametrize(
    ("text", "mention", "country", "feature"),
    [
        # after "in", a close spelling of a place in one country
        ("On Saturday demonstrators marched in Nabatiyeh chanting slogans against the banks.",
         "Nabatiyeh", "LB", None),
        # a people's name before "region" that is a province's
        ("Police shot a trader dead in Goday, Shabelle Zone (Somali region), on Sunday.",
         "Somali", "ET", "ADM1"),
        # a city alone in parentheses after a building
        ("About a hundred supporters of the former ruling party rallied at Kober Prison "
         "(Khartoum North) on Thursday.", "Khartoum North", "SD", None),
        # after "the countryside of", as after "in"
        ("Rebels destroyed an army bulldozer on a front line in the southern countryside of "
         "Idleb on Monday.", "Idleb", "SY", None),
        # after "the ... area of", which the model calls an organisation
        ("A Taliban sniper shot two Afghan soldiers in the Loy Karez area of Spin Boldak "
         "(Wesh) on Sunday.", "Spin Boldak", "AF", None),
        # someone's home after their name and "of", where the model tagged nothing
        ("John Smith of Newark and Michael Sweeney of Hayward also delivered food to the "
         "shelter.", "Hayward", "US", None),
        # a known town before parentheses of divisions, whatever the model called it
        ("Unidentified gunmen attacked Kagara (Rafi LGA, Niger) on Thursday and abducted "
         "two workers.", "Kagara", "NG", None),
        # ... and before the kind ("district") and its parentheses
        ("Women protested in several villages of Nabha district (Punjab) against the "
         "reopening of liquor shops.", "Punjab", "IN", None),
    ],
)  # fmt: skip
def test_places_set_as_places_by_the_texts_layout(
    pipeline: Pipeline, text: str, mention: str, country: str, feature: str | None
) -> None:
    found = _spans(pipeline, text)
    assert found[mention].country == country
    if feature:
        assert found[mention].feature == feature
    assert "Kober Prison" not in found  # the building is no place of ours


def test_gazetteer_seat_is_the_town_named_like_its_province() -> None:
    from tidings.gazetteer import load

    g = load()
    seat = g.seat("TR", "Tunceli")
    assert seat is not None and name_key(seat.name) == "tunceli"
    seat = g.seat("AL", "Fier")  # not Lushnjë, which the lists make larger
    assert seat is not None and seat.name == "Fier"
    seat = g.seat("IQ", "Muhafazat Karbala'")  # the name without its kind
    assert seat is not None and seat.name == "Karbala"


def test_places_town_said_to_lie_in_a_province_or_city(pipeline: Pipeline) -> None:
    # The Mansura the lists know is Egypt's city; this one lies in Raqqa, Syria.
    found = _spans(pipeline, "Two people were shot dead in Mansura in Raqqa on Tuesday, "
                             "activists said.")  # fmt: skip
    assert found["Mansura"].country != "EG"
    # Not a month ("in January"), not an origin ("from Porto in Madrid").
    found = _spans(pipeline, "A man was stabbed in Dundalk in January, police said.")
    assert found["Dundalk"].lat is not None
    found = _spans(pipeline, "Fans from Porto in Madrid celebrated the win.")
    assert found["Porto"].country == "PT"


def test_gazetteer_iso_spelling_of_a_division_is_that_division() -> None:
    from tidings.gazetteer import load

    g = load()
    # ISO 3166-2 spells it "Wardak", GeoNames' towns lie in "Vardak": one division, with
    # its towns and a seat, not two.
    found = [p for p in g.lookup("Wardak") if p.feature == "ADM1"]
    assert len(found) == 1
    assert g.seat("AF", found[0].name) is not None


@pytest.mark.parametrize(
    ("text", "name", "not_in"),
    [
        # A sector, a police station, a district: named for a village, not the city of
        # the name in another province, however big.
        ("Indian and Pakistani troops exchanged fire across the LoC at Rampur sector area "
         "(Baramulla district, J&K) on Friday.", "Rampur", "Uttar Pradesh"),
        ("Two rebels were killed near a village under Manpur Police Station limits "
         "(Rajnandgaon, Chhattisgarh).", "Manpur", "Madhya Pradesh"),
        ("Gunmen abducted a banker's wife in Apa Agila (Ado LGA, Benue).", "Ado", "Ekiti"),
    ],
)  # fmt: skip
def test_places_village_or_district_not_a_city_in_another_province(
    pipeline: Pipeline, text: str, name: str, not_in: str
) -> None:
    assert _spans(pipeline, text)[name].admin1 != not_in


def test_gazetteer_jammu_and_kashmir_is_the_division_with_its_towns() -> None:
    from tidings.gazetteer import load

    g = load()
    (division,) = [p for p in g.lookup("J&K") if p.feature == "ADM1"]
    assert [p.feature for p in g.lookup("Jammu and Kashmir")] == ["ADM1"]
    assert g.seat("IN", division.name).name == "Srinagar"


def test_places_town_and_province_without_a_comma(pipeline: Pipeline) -> None:
    # The model reads "Tijuana Baja" and "California": Tijuana, in Baja California.
    found = _spans(pipeline, "A man was found dead on Friday in Tijuana Baja California, "
                             "police said.")  # fmt: skip
    assert (found["Tijuana"].country, found["Baja California"].country) == ("MX", "MX")


def test_places_name_never_tagged_a_place_is_no_city_by_size(pipeline: Pipeline) -> None:
    # The model calls "Lincoln" an organisation five times and a place never: the
    # president, not Lincoln, Nebraska (or California).
    found = _spans(pipeline, "Author talks about Lincoln's last year. The historian said "
                             "Lincoln rarely slept during the siege. Lincoln wrote hundreds of "
                             "letters that summer, and Lincoln read every one of the replies. "
                             "Visitors said Lincoln looked tired. The talk was held in "
                             "Richmond, Kentucky.")  # fmt: skip
    assert "Lincoln" not in found
    assert found["Richmond"].admin1 == "Kentucky"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("The crash closed the highway near Charleston, W.Va.", "W.Va."),
        ("The company moved its head office to Pleasanton, Calif.", "Calif."),
    ],
)
def test_places_abbreviation_keeps_its_full_stop(pipeline: Pipeline, text: str, name: str) -> None:
    # Where the abbreviation's point also ends the sentence, the name is written with it.
    assert name in _spans(pipeline, text)


@pytest.mark.parametrize(
    ("word", "code"),
    [("Kazakh", "KZ"), ("Kyrgyz", "KG"), ("Tajik", "TJ"), ("Uzbek", "UZ"),
     ("Ecuadorian", "EC"), ("Argentine", "AR"), ("Argentinian", "AR"), ("Nepali", "NP")],
)  # fmt: skip
def test_gazetteer_demonyms_the_lists_lack(word: str, code: str) -> None:
    from tidings.gazetteer import load

    assert load().demonym(word) == code


def test_places_unknown_name_in_place_words_once_among_many_is_no_place() -> None:
    import re

    from tidings.gazetteer import load
    from tidings.stages.places import Mention, _unknown

    g = load()
    text = ("Doctors said Zorvana was born early. Zorvana now weighs four pounds. Nurses say "
            "Zorvana is strong. Cards came from Zorvana's school.")  # fmt: skip
    mentions = [Mention("Zorvana", m.start(), m.end(), "GPE") for m in re.finditer("Zorvana", text)]
    # Tagged a place four times, in place words once ("from Zorvana's"): a person.
    assert _unknown(text, mentions, g).score < 0
    # Named once, in place words, an unknown name is kept unresolved.
    text = "Officials in Zorblaxton said the bridge would reopen."
    assert _unknown(text, [Mention("Zorblaxton", 13, 23, "GPE")], g).score == 0.0


def test_places_country_name_with_and_is_taken_whole(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "The prime minister said that Trinidad and Tobago failed to "
                             "attend the meeting.")  # fmt: skip
    assert found["Trinidad and Tobago"].country == "TT"
    assert "Tobago" not in found and "Trinidad" not in found


def test_places_peoples_name_is_no_small_town(pipeline: Pipeline) -> None:
    # Not English, Indiana.
    found = _spans(pipeline, "The word means battery in English, the suspects told police "
                             "in Bratislava.")  # fmt: skip
    assert found.get("English") is None or found["English"].country == "GB"


def test_places_initials_alone_are_no_state(pipeline: Pipeline) -> None:
    # An authority's initials, not Pennsylvania; a state's after a town stay.
    found = _spans(pipeline, "Hamas turned against the PA. The crackdown, PA officials "
                             "explained, was preemptive.")  # fmt: skip
    assert "PA" not in found


@pytest.mark.parametrize(
    ("text", "mention", "country"),
    [
        # GeoNames writes "‘Afrīn": "Afrin" is its own name, not an alias of a town abroad
        ("Turkish troops closed all of Afrin's entrances on Tuesday after a bomb went off.",
         "Afrin", "SY"),
        # a known name before a division's word, whatever the model called it
        ("A rocket was fired into the air opposite the Baalbek Governorate building "
         "overnight.", "Baalbek", "LB"),
    ],
)  # fmt: skip
def test_places_name_in_a_form_the_lists_do_not_write(
    pipeline: Pipeline, text: str, mention: str, country: str
) -> None:
    assert _spans(pipeline, text)[mention].country == country


@pytest.mark.parametrize(
    ("text", "mention", "admin1"),
    [
        ("The man was arraigned in Bridgeport Superior Court on Monday.", "Bridgeport",
         "Connecticut"),
        ("He pleaded guilty in Jackson County Circuit Court to manslaughter.",
         "Jackson County", None),
    ],
)  # fmt: skip
def test_places_court_of_law_is_named_after_its_place(
    pipeline: Pipeline, text: str, mention: str, admin1: str | None
) -> None:
    # "... Court" names a street too; a court of law is its town's or county's.
    found = _spans(pipeline, text)
    assert found[mention].country == "US"
    if admin1:
        assert found[mention].admin1 == admin1


def test_places_kind_of_court_is_no_town(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "The verdict was upheld after Superior Court Judge Ann Reyes "
                             "ruled on the motion.")  # fmt: skip
    assert "Superior" not in found  # not Superior, Wisconsin


def test_places_town_by_its_residents_is_the_town_in_every_mention(pipeline: Pipeline) -> None:
    text = (
        "About fifty Gainesville residents marched on Friday against the amendment, which "
        "would remove Gainesville's protections. Organisers said Gainesville says no to "
        "discrimination."
    )
    (gainesville,) = [p for p in pipeline.analyze(text).places if p.name == "Gainesville"]
    assert gainesville.country == "US"
    assert len(gainesville.mentions) == 3


def test_gazetteer_lower_division_beside_its_village_namesakes() -> None:
    from tidings.gazetteer import load

    g = load()
    # Burkina Faso's provinces, though villages elsewhere share their names.
    for name in ("Soum", "Seno"):
        assert any(c.country == "BF" and c.feature == "ADM2" for c in g.lookup(name))
    # A first-level division's English name does not join a name of note: "Atlantic".
    assert not any(c.country == "BJ" for c in g.lookup("Atlantic"))


@pytest.mark.parametrize(
    "text",
    [
        "Militants ambushed a gendarmerie unit in Gaskinde (Pobe-Mengao, Soum) on Saturday.",
        "Militants ambushed a gendarmerie unit in Soum province on Saturday.",
    ],
)
def test_places_division_where_the_village_of_its_name_is_ruled_out(
    pipeline: Pipeline, text: str
) -> None:
    # The only Soum town we know is a Senegalese village: as the division of "(X, Soum)",
    # or said to be a province, it is Burkina Faso's province.
    found = _spans(pipeline, text)
    assert found["Soum"].country == "BF"


def test_places_division_abroad_is_not_in_the_city_written_after_it(pipeline: Pipeline) -> None:
    # A locality of Bogota, not the Dominican province of San Cristobal.
    found = _spans(pipeline, "On Tuesday, in San Cristobal, Bogota, a group of 30 people "
                             "demonstrated demanding aid from the government.")  # fmt: skip
    assert found["San Cristobal"].country in (None, "CO")
    assert found["Bogota"].country == "CO"


def test_places_the_x_farm_is_an_estate_not_a_town_abroad(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "In El Refugio (Ahuachapan), police officers were patrolling at "
                             "the Mendez farm when gunmen attacked them.")  # fmt: skip
    assert found["Ahuachapan"].country == "SV"
    assert "Mendez" not in found or found["Mendez"].country != "MX"


def test_gazetteer_socotra_spellings_are_its_governorate() -> None:
    from tidings.gazetteer import load

    g = load()
    for name in ("Socotra", "Suqutra", "Soqotra"):
        (place,) = g.lookup(name)
        assert place.country == "YE" and place.feature == "ADM1"
    seat = g.seat("YE", "Soqatra Governorate")
    assert seat is not None and seat.name == "Hadibu"


def test_places_neighbourhood_is_no_town_far_from_the_city(pipeline: Pipeline) -> None:
    # Candelaria is a quarter of Rio, not Candelária, Rio Grande do Sul (1,200 km away).
    found = _spans(pipeline, "In the Central Zone of Rio de Janeiro, residents reported that "
                             "a shoot-out took place in Candelaria neighborhood.")  # fmt: skip
    assert found["Candelaria"].lat is None
    assert found["Rio de Janeiro"].country == "BR"


@pytest.mark.parametrize(
    ("text", "mention", "code"),
    [
        ("The U.S. Centers for Disease Control said cases rose in Ohio.", "U.S.", "US"),
        ("The New Zealand Department of Conservation closed the park on Monday.",
         "New Zealand", "NZ"),
        ("American Airlines cancelled flights, USA Today reported.", None, None),
        # a state's body, its state: and so the town is Indiana's Richmond
        ("The Indiana State Police bomb squad responded to a Richmond storage unit.",
         "Indiana", "US"),
    ],
)  # fmt: skip
def test_places_country_a_national_body_is_named_after(
    pipeline: Pipeline, text: str, mention: str | None, code: str | None
) -> None:
    found = _spans(pipeline, text)
    if mention is None:  # a people's name, a newspaper's: no place
        assert not any(p.feature == "PCLI" for p in found.values())
    else:
        assert found[mention].country == code


def test_places_publishers_country_settles_a_name_nothing_else_does(pipeline: Pipeline) -> None:
    text = "Council staff will drive low-emission cars after a scheme launched by Richmond Council."
    assert (
        _spans(pipeline, text, source="richmondandtwickenhamtimes.co.uk")["Richmond"].country
        == "GB"
    )
    assert _spans(pipeline, text)["Richmond"].country == "US"  # without a publisher


@pytest.mark.parametrize(
    ("text", "country"),
    [("Police fired tear gas at farmers protesting in Punjab province on Monday.", "PK"),
     ("Farmers protesting in Punjab state blocked a highway on Monday.", "IN"),
     # The Colombian insignia do not make Bolivar state Colombia's department.
     ("In Cedeno municipality, Bolivar state, soldiers seized three boats with Colombian "
      "military insignia.", "VE")],
)  # fmt: skip
def test_places_the_kind_of_division_written_after_a_name(pipeline: Pipeline, text: str,
                                                          country: str) -> None:  # fmt: skip
    found = _spans(pipeline, text)
    division = found.get("Punjab") or found["Bolivar"]
    assert (division.country, division.feature) == (country, "ADM1")


def test_gazetteer_knows_what_each_country_calls_its_divisions() -> None:
    from tidings.gazetteer import load

    g = load()
    kinds = {(p.country, g.division_kind(p)) for p in g.lookup("Punjab") if p.feature == "ADM1"}
    assert {("PK", "Province"), ("IN", "State")} <= kinds
    assert not g.division_kind(g.lookup("Lahore")[0])  # a town is no division


@pytest.mark.parametrize(
    "text",
    ["Police dispersed a demonstration in central Tunceli on Monday. The mayor of Tunceli "
     "joined the crowd.",
     "Hundreds marched through the city of Tunceli on Monday."],
)  # fmt: skip
def test_places_the_town_not_the_province_of_its_name(pipeline: Pipeline, text: str) -> None:
    found = _spans(pipeline, text)
    assert (found["Tunceli"].country, found["Tunceli"].feature) == ("TR", "PPL")


def test_places_town_of_x_in_y_lies_in_y_country(pipeline: Pipeline) -> None:
    # "the town of Karak in Dar'a" is in Syria, whatever Karak we know of abroad.
    found = _spans(pipeline, "Clashes took place between two armed families in the town of "
                             "Karak in Dar'a following an altercation.")  # fmt: skip
    assert found["Dar'a"].country == "SY"
    assert found.get("Karak") is None or found["Karak"].country in (None, "SY")


_INDIANA = [
    "Muncie police arrested two men after a chase on Interstate 69 in Indiana.",
    "The Wayne County commissioners met in Centerville, Indiana, on Monday.",
]
_TEXAS = [
    "Round Rock police arrested two men after a chase in Texas.",
    "The county commissioners met in Killeen, Texas, on Monday.",
]


@pytest.mark.parametrize(
    ("earlier", "text", "name", "at_home", "elsewhere"),
    [(_INDIANA, "Richmond police arrested a man on Tuesday after a break-in at a store.",
      "Richmond", "Indiana", "Virginia"),
     # No capital abroad for a publisher at home elsewhere, when nothing names its country.
     (_TEXAS, "Students in Georgetown raised money for the food bank this week.",
      "Georgetown", "Texas", "Demerara-Mahaica")],
)  # fmt: skip
@pytest.mark.parametrize("learn", [True, False])
def test_places_publisher_home_learnt_from_its_earlier_articles(  # type: ignore[no-untyped-def]
    settings, learn: bool, earlier: list[str], text: str, name: str, at_home: str, elsewhere: str
) -> None:
    # A local paper's bare name is the town of the state its earlier articles are about
    # (with the memory off: the best-known town of the name).
    p = Pipeline.from_settings(
        settings.replace(stages="clean,language,nlp,entities,places", source_homes=learn)
    )
    for earlier_text in earlier:
        p.analyze(earlier_text, source="example-gazette.com")
    found = _spans(p, text, source="example-gazette.com")
    assert found[name].admin1 == (at_home if learn else elsewhere)
    # Another publisher has learnt nothing.
    assert _spans(p, text, source="another-paper.com")[name].admin1 == elsewhere


@pytest.mark.parametrize("learn", [True, False])
def test_places_publisher_lexicon_keeps_its_own_towns(settings, learn: bool) -> None:  # type: ignore[no-untyped-def]
    # Once a paper has placed its "Athens" in Texas, its bare "Athens" stays there; a
    # story that names Greece still means the capital, and other papers learn nothing.
    p = Pipeline.from_settings(
        settings.replace(stages="clean,language,nlp,entities,places", source_homes=learn)
    )
    source = "henderson-review.com"
    p.analyze("Athens police arrested a Henderson County man on Monday after a chase "
              "through Athens, Texas.", source=source)  # fmt: skip
    council = "The Athens City Council was given a budget update on Tuesday."
    assert _spans(p, council, source=source)["Athens"].country == ("US" if learn else "GR")
    assert _spans(p, council, source="another-paper.com")["Athens"].country == "GR"
    greek = "Protesters clashed with police in Athens as the Greek parliament voted on cuts."
    assert _spans(p, greek, source=source)["Athens"].country == "GR"


def test_places_publisher_lexicon_town_named_like_a_country(settings) -> None:  # type: ignore[no-untyped-def]
    # A Minnesota paper's "Jordan" is its town when the story names no other country;
    # "King Abdullah of Jordan" beside Cairo is the kingdom.
    p = Pipeline.from_settings(settings.replace(stages="clean,language,nlp,entities,places"))
    source = "scott-county-news.com"
    for text in ["The Jordan City Council met with Shakopee and Belle Plaine officials on Monday.",
                 "Police in Shakopee, Minnesota, closed a road on Friday.",
                 "A Jordan man was hurt when his motorcycle left the road near Shakopee, "
                 "Minnesota, on Friday."]:  # fmt: skip
        p.analyze(text, source=source)
    levy = "Residents of Jordan will vote on the school levy in May."
    assert _spans(p, levy, source=source)["Jordan"].admin1 == "Minnesota"
    assert _spans(p, levy, source="another-paper.com")["Jordan"].country == "JO"
    king = "King Abdullah of Jordan met the Egyptian president in Cairo."
    assert _spans(p, king, source=source)["Jordan"].country == "JO"


def test_places_short_name_of_the_county_the_article_names(pipeline: Pipeline) -> None:
    # "DeKalb" after "DeKalb County, Georgia" is the county (the town DeKalb is in
    # Illinois); "Henrico" names no town at all; "Lancaster" beside "Lancaster County"
    # is the town, which lies in that county.
    text = ("A woman was stabbed near Briarcliff Road in DeKalb County, Georgia, police "
            "said. DeKalb police are looking for the man.")  # fmt: skip
    found = _spans(pipeline, text)
    assert (found["DeKalb"].feature, found["DeKalb"].admin1) == ("ADM2", "Georgia")
    found = _spans(pipeline, "Henrico County police said the crash closed the road. Henrico "
                             "officials asked drivers to wait.")  # fmt: skip
    assert (found["Henrico"].name, found["Henrico"].admin1) == ("Henrico County", "Virginia")
    found = _spans(pipeline, "Lancaster County commissioners met on Monday. Lancaster police "
                             "closed two roads downtown.")  # fmt: skip
    assert (found["Lancaster"].feature, found["Lancaster"].admin1) == ("PPL", "Pennsylvania")


@pytest.mark.parametrize(
    ("text", "name", "feature"),
    [("Russian forces shelled Donetsk on Monday.", "Donetsk", "PPL"),
     ("Flooding hit Valencia on Tuesday, Spanish officials said.", "Valencia", "PPL"),
     # ... the division when the text says so, or lists it with others.
     ("Fighting spread across Donetsk region on Monday.", "Donetsk", "ADM1"),
     ("Floods hit Valencia and Catalonia, Spanish officials said.", "Valencia", "ADM1")],
)  # fmt: skip
def test_places_a_division_named_like_its_city_is_the_city(
    pipeline: Pipeline, text: str, name: str, feature: str
) -> None:
    assert _spans(pipeline, text)[name].feature == feature


def test_places_publisher_home_state_by_its_own_name(settings) -> None:  # type: ignore[no-untyped-def]
    # An Atlanta paper's "Georgia" is its state; another paper's, the country.
    p = Pipeline.from_settings(settings.replace(stages="clean,language,nlp,entities,places"))
    source = "example-atlanta.com"
    p.analyze("Decatur police arrested two men after a chase in Marietta, Georgia.", source=source)
    p.analyze("The DeKalb County commissioners met in Decatur, Georgia, on Monday.", source=source)
    text = "Georgia's newest utility regulator could face fines for ethics violations."
    assert _spans(p, text, source=source)["Georgia"].country == "US"
    assert _spans(p, text, source="another-paper.com")["Georgia"].country == "GE"


@pytest.mark.parametrize(
    ("text", "feature"),
    [("NEW YORK (AP) — Police shot a man who was brandishing a pipe on Wednesday.", "PPL"),
     ("After stops in Washington, New York and Boston, the crown prince flew home.", "PPL"),
     ("The new law was signed in Albany, New York, on Monday.", "ADM1"),
     ("Storms hit New York, New Jersey and Connecticut overnight.", "ADM1")],
)  # fmt: skip
def test_places_city_or_state_by_dateline_and_list(
    pipeline: Pipeline, text: str, feature: str
) -> None:
    # A dateline names a city, and so does a list of cities; "Albany, New York" and a
    # list of states name the state.
    name = "NEW YORK" if text.startswith("NEW YORK") else "New York"
    assert _spans(pipeline, text)[name].feature == feature


def test_places_small_division_abroad_gives_way_to_a_bigger_town(pipeline: Pipeline) -> None:
    # A Jamaican parish is no better known than the English city whose name it took;
    # a province as big as its namesakes stays the province.
    found = _spans(pipeline, "Thousands of fans celebrated in Manchester after the match.")
    assert (found["Manchester"].country, found["Manchester"].feature) == ("GB", "PPL")
    found = _spans(pipeline, "Floods hit Alberta and the town of Canmore.")
    assert (found["Alberta"].country, found["Alberta"].feature) == ("CA", "ADM1")


@pytest.mark.parametrize(
    ("text", "feature"),
    [("The first case was discovered in December in the state of Washington.", "ADM1"),
     ("Cases were reported in Oregon, Utah, Washington and Wisconsin.", "ADM1"),
     ("Officials in Washington said the talks would resume.", "PPLC"),
     ("Flights between Berlin, Moscow and Washington resumed.", "PPLC")],
)  # fmt: skip
def test_places_state_by_the_state_of_and_lists_of_states(
    pipeline: Pipeline, text: str, feature: str
) -> None:
    # "the state of X" and a list of states name the state; Berlin and Moscow are
    # city-states, so a list of them is a list of cities.
    assert _spans(pipeline, text)["Washington"].feature == feature


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        # A known town the model took for a person: its local body's word says town.
        ("Around 7:35 p.m. Sunday Alexandria Police went to a home on Memphis Street after "
         "a call.", "Alexandria", None),
        # "the town of X".
        ("Firefighters were alerted to a blaze at a caravan park in the town of Camborne on "
         "Saturday.", "Camborne", "England"),
    ],
)  # fmt: skip
def test_places_town_named_by_its_local_body_or_as_a_town(
    pipeline: Pipeline, text: str, name: str, admin1: str | None
) -> None:
    found = _spans(pipeline, text)
    assert name in found and found[name].feature.startswith("PPL")
    assert admin1 is None or found[name].admin1 == admin1


@pytest.mark.parametrize(
    ("text", "name", "admin1"),
    [
        ("The meeting will be held at Greer City Hall in South Carolina on Monday.",
         "Greer", "South Carolina"),
        ("Crews from Douglas County Public Works cleared the roads near Alexandria, Minnesota.",
         "Douglas County", "Minnesota"),
    ],
)  # fmt: skip
def test_places_town_in_its_town_hall_or_public_works(
    pipeline: Pipeline, text: str, name: str, admin1: str
) -> None:
    assert _spans(pipeline, text)[name].admin1 == admin1


def test_places_publisher_lexicon_names_a_town_the_model_took_for_a_person(settings) -> None:  # type: ignore[no-untyped-def]
    # A paper that has placed "Gainesville" surely before: its "Gainesville", tagged a
    # person's name, is still its town; in another paper it is nothing.
    p = Pipeline.from_settings(settings.replace(stages="clean,language,nlp,entities,places"))
    source = "gainesville-news.example"
    p.analyze("Police in Gainesville, Georgia, arrested two men on Friday after a chase on "
              "Jesse Jewell Parkway.", source=source)  # fmt: skip
    spill = (
        "A wastewater overflow within the Gainesville sewer system sent 5,400 gallons into a creek."
    )
    assert _spans(p, spill, source=source)["Gainesville"].admin1 == "Georgia"
    assert "Gainesville" not in _spans(p, spill, source="another-paper.com")


def test_places_kind_written_small_completes_a_known_name(pipeline: Pipeline) -> None:
    found = _spans(pipeline, "Militias have been camping outside the Green zone for weeks.")
    assert found["Green zone"].name == "Green Zone" and "Green" not in found
    # An organisation's name goes on after "for": no place in it.
    assert "Kent" not in _spans(pipeline, "She spoke at the Kent for Peace Foundation gala.")


def test_places_city_by_its_short_name_in_the_province_written_after_it(
    pipeline: Pipeline,
) -> None:
    # No town called just "Benito Juarez" lies in Nuevo León: Ciudad Benito Juárez does.
    found = _spans(pipeline, "A man was shot dead in Benito Juarez, Nuevo Leon, on Saturday.")
    assert (found["Benito Juarez"].name, found["Benito Juarez"].admin1) == (
        "Ciudad Benito Juárez", "Nuevo Leon")  # fmt: skip


@pytest.mark.parametrize("where", ["the eastern countryside of", "the countryside of"])
def test_places_village_in_the_countryside_of_a_province_lies_there(
    pipeline: Pipeline, where: str
) -> None:
    # "in the eastern countryside of Deir-ez-Zor" holds the village as "in Deir-ez-Zor"
    # does: the gazetteer's Daman is in India, so the Syrian one stays unresolved.
    text = (f"IS fighters clashed with QSD fighters in the village of Daman in {where} "
            "Deir-ez-Zor on Friday.")  # fmt: skip
    found = _spans(pipeline, text)
    assert found["Daman"].country is None and found["Deir-ez-Zor"].country == "SY"


def test_places_village_is_no_city_abroad_by_another_of_its_names(pipeline: Pipeline) -> None:
    # "Korogo" is another name of Korhogo, a city in Côte d'Ivoire; the village of
    # Korogo in a story about Ituri is not it, and stays unresolved.
    text = "Soldiers attacked rebels in the village of Korogo near Bunia, Ituri, on Monday."
    found = _spans(pipeline, text)
    assert found["Korogo"].country is None and found["Bunia"].country == "CD"
