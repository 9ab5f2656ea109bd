from .assessment import AssessmentPeriod, SelfAssessment
from .indicator import Indicator
from .rectification import Rectification
from .run import IndicatorResult, MonitoringRun, ScanState

__all__ = ["AssessmentPeriod", "Indicator", "IndicatorResult", "MonitoringRun", "Rectification", "ScanState",
           "SelfAssessment"]
