"""The site generators SOP Hub runs on, each an adapter over render/ and core/."""
