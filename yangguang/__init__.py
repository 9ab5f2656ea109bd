"""阳光政务 (yangguang): open-government platform for city and county governments."""
