"""What the site shows: views, pages, source segments, links, diagrams, templates, theme, assets."""
