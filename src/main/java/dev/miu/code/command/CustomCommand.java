package dev.miu.code.command;

/**
 * A user command from {@code .miu/commands/NAME.md}: {@code /NAME args} sends the file's text with every
 * {@code $ARGUMENTS} replaced by {@code args}.
 *
 * @param description from a {@code description:} line in optional front matter, else the first line of the text
 */
public record CustomCommand(String name, String description, String template) {

    public String expand(String arguments) {
        return template.replace("$ARGUMENTS", arguments == null ? "" : arguments.strip());
    }
}
