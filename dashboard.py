"""Entry point: page setup and navigation. Run with `streamlit run dashboard.py`."""

import streamlit as st

st.set_page_config(page_title="HER2+ gastric cancer landscape", page_icon="🧬", layout="wide")

PAGES = [
    st.Page("pages/overview.py", title="Overview", icon="🏠", default=True),
    st.Page("pages/agents.py", title="Agents", icon="💊"),
    st.Page("pages/trials.py", title="Trials", icon="🧪"),
    st.Page("pages/efficacy.py", title="Efficacy", icon="📊"),
    st.Page("pages/timeline.py", title="Timeline", icon="🗓️"),
    st.Page("pages/map.py", title="Map", icon="🗺️"),
    st.Page("pages/sources.py", title="Sources and data", icon="📚"),
]

st.navigation(PAGES).run()
