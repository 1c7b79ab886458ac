"""Deployer: offline rostering for police and emergency-service deployments."""

__version__ = "0.1.0"
