"""Entry point: page setup and navigation. Run with `streamlit run dashboard.py`."""

import streamlit as st

from landscape import ui

st.set_page_config(page_title="HER2+ gastric cancer landscape", page_icon=":material/biotech:", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon=":material/home:", default=True),
    st.Page("pages/agents.py", title="Agents", icon=":material/medication:"),
    st.Page("pages/trials.py", title="Trials", icon=":material/science:"),
    st.Page("pages/efficacy.py", title="Efficacy", icon=":material/bar_chart:"),
    st.Page("pages/timeline.py", title="Timeline", icon=":material/calendar_month:"),
    st.Page("pages/map.py", title="Map", icon=":material/map:"),
    st.Page("pages/sources.py", title="Sources and data", icon=":material/menu_book:"),
]

ui.mark_entrypoint()
st.navigation(PAGES).run()
