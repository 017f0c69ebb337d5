"""Refresh ``resources/sample_plan.json``: the engine's proposal for the Kent and Medway sample.

The planner opens the sample with this plan on first run (so start-up does not wait for the engine);
if the sample file changes, the cache no longer matches its hash and the engine runs at start-up.

    python resources/make_sample_plan.py
"""

from planner.app import write_sample_plan_cache

if __name__ == "__main__":
    print(write_sample_plan_cache())
