-- tasks_instance (instance_id, state) is a prefix of tasks_instance_state_id (instance_id, state, id),
-- which serves every query it served. Each task state change wrote an entry into both; a map
-- instance's sub-task changes state two or three times, so the index cost writes and gave nothing.

DROP INDEX tasks_instance ${onTasks};
