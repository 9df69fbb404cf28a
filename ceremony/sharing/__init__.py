"""Beyond the tab: a page and a share card per result, embeds, oEmbed, the Atom feed and the
structured data (docs/sharing.md). A read side: everything here is drawn from the ceremony's
versioned snapshot (ceremony.realtime.snapshots), and nothing here writes."""
