"""Enrich: archive-wide work done between Pelican's read and write phases."""
