# Copies a model folder, relabels its learner (x -> dr) and runs score on it; prints the exit code and stderr
# so the calling case can check both. Run with -DMODEL=<folder> -DUPLIFTCTL=<binary> from the work folder.
file(REMOVE_RECURSE ${MODEL}_mismatch)
file(COPY ${MODEL}/ DESTINATION ${MODEL}_mismatch)
file(READ ${MODEL}_mismatch/model.json text)
string(REPLACE "\"learner\": \"x\"" "\"learner\": \"dr\"" text "${text}")
file(WRITE ${MODEL}_mismatch/model.json "${text}")
execute_process(COMMAND ${UPLIFTCTL} score -m ${MODEL}_mismatch -i visit.features.parquet -o mismatch.parquet
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_QUIET)
execute_process(COMMAND ${CMAKE_COMMAND} -E echo "exit=${rc} ${err}")
