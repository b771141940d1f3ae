"""ClinicalTrials.gov registry records: study JSON to typed records (records), download from the API v2
(fetch), the changes they make to the data package (plan), reading files and applying the plan (importer),
and the command line (cli)."""
