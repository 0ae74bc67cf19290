"""Users, roles, department memberships, sign-in sessions and permissions."""
