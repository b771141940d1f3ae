"""Entry point: page setup and navigation. Run with `streamlit run dashboard.py`."""

import streamlit as st

from landscape import sitemap, ui

# A bundled icon: a `:material/...` page icon would make every browser fetch the favicon from a font host.
present = ui.presentation_requested()
st.set_page_config(
    page_title="HER2+ gastric cancer landscape",
    page_icon=ui.PAGE_ICON,
    layout="wide",
    initial_sidebar_state="collapsed" if present else "auto",
)

ui.mark_entrypoint()
pages = [st.Page(p.file, title=p.title, icon=p.icon, url_path=p.slug or None, default=p.default) for p in sitemap.PAGES]
# Runs take turns, two at a time: under many sessions a run waits its turn and then runs at full speed, instead
# of sharing the interpreter with every other run at once (see server.RUN_SLOTS).
with ui.run_slot():
    st.navigation(pages, position="hidden" if present else "sidebar").run()
