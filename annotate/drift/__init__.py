"""How notes stand against the code they were written for: states, fingerprints, the lock file."""
