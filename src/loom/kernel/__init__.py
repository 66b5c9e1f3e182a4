"""The kernel: tenancy, identity, authorisation, audit, plug-ins and the web shell."""
