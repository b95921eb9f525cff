"""Documents (queue ticket, 一次性告知 notice, pre-filled forms) as PDF bytes; printer backends."""
