# Wizards of the features (log a call, handover, approval requests) live here.
