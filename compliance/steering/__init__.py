"""The ISO steering committee (Ban chỉ đạo ISO) and the yearly plan for maintaining the
quality system (issue 17, item 7): members with the decision that appointed them, and plan
tasks with owners and dates that the scheduler chases."""
