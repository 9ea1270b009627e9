"""Tool exports (survey tools, meeting reports, Viva Engage) translated into canonical rows before a load."""
