package dev.miu.cli;

import picocli.CommandLine;

/** picocli's handler for a command's failure: {@link FailureReport}. */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    static final int CONFIG_ERROR = FailureReport.CONFIG_ERROR;

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, CommandLine.ParseResult parseResult) {
        return FailureReport.report(e, cli.getErr());
    }
}
