"""Tests of the scheduling app's plans: profiles, planning, charts, what-ifs, pages."""
