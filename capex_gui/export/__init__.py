"""Chart export: PNG, SVG and PDF files, the clipboard, and footnotes with the sources."""
