"""From a campaign and its catalogs to laid-out pages: HTML, fonts, type, QR codes."""
