"""The About box text, with the data attribution the licences ask for."""

from __future__ import annotations

from importlib import metadata

__all__ = ["ABOUT_TITLE", "about_html", "ATTRIBUTION"]

ABOUT_TITLE = "About SureStart Federation Planner"

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Children's centre records: Department for Education, Get Information about Schools (GIAS).",
    "Contains OS data \u00a9 Crown copyright and database right 2025. Contains Royal Mail data "
    "\u00a9 Royal Mail copyright and database right 2025. Contains National Statistics data "
    "\u00a9 Crown copyright and database right 2025 (OS Code-Point Open, for postcode locations).",
    "Source: Office for National Statistics licensed under the Open Government Licence v3.0. "
    "Contains OS data \u00a9 Crown copyright and database right 2024 (local authority "
    "boundaries, small-area centroids and Census 2021 counts).",
    "Census 2021 population by age (children 0-15 and residents per small area): Office for "
    "National Statistics, Open Government Licence v3.0.",
    "English Indices of Deprivation 2019: Ministry of Housing, Communities and Local Government "
    "(MHCLG), Open Government Licence v3.0 (each centre's reach and its deprived children).",
)

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


def _version() -> str:
    try:
        return metadata.version("surestart-planner")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a plain checkout
        return "development"


def about_html() -> str:
    items = "".join(f"<li>{line}</li>" for line in ATTRIBUTION)
    return (
        f"<h3>SureStart Federation Planner {_version()}</h3>"
        "<p>Plan federations of Sure Start children's centres: propose balanced, compact "
        "federations, then move centres between them on the map with live figures and undo.</p>"
        "<p><b>Data attribution</b></p>"
        f"<ul>{items}</ul>"
        f'<p>Open Government Licence v3.0: <a href="{OGL}">{OGL}</a></p>'
    )
