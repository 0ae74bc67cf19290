"""The public register of procedures in force (no sign-in), for the posting duty."""
