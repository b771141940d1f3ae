"""Map: where trials enrol, site by site and per country; works offline."""

import streamlit as st

from landscape import filters, maps, ui


def map_page() -> None:
    landscape = ui.get_landscape()
    ui.page_intro("Map", landscape, "Where trials enrol: named sites and every enrolling country.")
    state = ui.filter_sidebar(landscape, "map")
    sites = filters.apply_filters(landscape.sites, state)
    if not ui.show_filter_result(state, "site and country records", sites, landscape.sites):
        return
    colour = (
        st.segmented_control("Colour by", ["status", "phase"], default="status", key="colour", bind="query-params")
        or "status"
    )
    st.caption(
        "Large circles: a country the trial enrols in "
        "(placed at its capital; the registry lists no sites we could read). "
        "Small circles: a named site. Hover for trial, facility and city."
    )
    st.pydeck_chart(
        ui.memo(landscape, "site_deck", (state.key, colour), lambda: maps.site_deck(sites, colour)),
        height=560,
        key="site_map",
    )
    st.image(
        maps.legend_svg(colour),
        caption="colour by status: what the registry status means, read with its date and the reported results "
        "(a status not confirmed in the last 12 months is 'not verified', never open)"
        if colour == "status"
        else "colour by phase",
    )
    unplaced = sites[sites["latitude"].isna()]
    if not unplaced.empty:
        with st.expander(f"Not on the map: {len(unplaced)} named site(s) whose city the gazetteer lacks"):
            ui.show_frame(unplaced[["acronym", "facility", "city", "country_name", "coordinates_from"]])
    st.subheader("Per country")
    counts = ui.memo(landscape, "country_counts", state.key, lambda: maps.country_counts(sites))
    st.pydeck_chart(
        ui.memo(landscape, "country_deck", state.key, lambda: maps.country_deck(sites)),
        height=420,
        key="country_map",
    )
    # Full width: the enrolling and other trials of a country are the table's point, not an overflow.
    ui.show_table(
        counts[["country_name", "trials", "enrolling", "enrolling_list", "other_list", "named_sites"]],
        "trial_countries",
        column_config={
            "country_name": st.column_config.TextColumn("country", width=130),
            "trials": st.column_config.NumberColumn("trials", width=70),
            "enrolling": st.column_config.NumberColumn("enrolling", width=85),
            "enrolling_list": st.column_config.TextColumn("trials enrolling", width=220),
            "other_list": st.column_config.TextColumn("other trials", width=340),
            "named_sites": st.column_config.NumberColumn("named sites", width=100),
        },
        key="country_table",
    )
    st.caption(
        f"Enrolling: recruiting, not yet recruiting or enrolling by invitation, as a source dated within 12 months "
        f"of {landscape.as_of} says, and not closed by reported results. Other trials: active but not recruiting, "
        "completed, stopped, or a status that is unknown, not recorded or not verified recently; never counted as "
        "enrolling."
    )
    ui.show_sources(landscape, ("map", state.key), lambda: sites["source_id"])


map_page()
