"""The project's own app: it exists to register the deployment checks."""

from django.apps import AppConfig


class AgentDashConfig(AppConfig):
    name = "agentdash"
    verbose_name = "AgentDash deployment"

    def ready(self):
        from agentdash import checks  # noqa: F401  (registering is the import's effect)
