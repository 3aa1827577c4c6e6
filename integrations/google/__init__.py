"""A Google account: signing a leader in (the installed-app flow) and keeping the sign-in."""
