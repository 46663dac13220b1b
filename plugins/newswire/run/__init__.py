"""Running: the pipeline tasks, windows, run stats and report, the local Airflow cluster."""
