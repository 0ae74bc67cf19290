"""Single sign-on (issue 19): OpenID Connect and LDAP/Active Directory sign-in, the rules that
map directory groups and token claims to roles and department memberships, and the identity
links that tie a provider's stable subject id to an account."""
